import type { IdentityWidget } from '../../core/identity.ts';
import type { WidgetRecord } from './records.ts';

/**
 * The directory's widget lookup (src/core/identity.ts `widgetByToken`) over a state's `widgets`
 * table: a hashed index by token value, rebuilt when the table's size changes or a value is not
 * found, and re-read by id, so a deleted widget or a regenerated token is dead at once
 * (nodeloom-api.md 3.6: "embed token invalidated immediately", "old token invalid").
 * @param widgets the table (`get` by id, `all`, `count`)
 * @returns `(token) => widget | undefined`
 */
export function widgetLookup(widgets: {
  get(id: string): WidgetRecord | undefined;
  all(): ReadonlyArray<WidgetRecord>;
  count(): number;
}): (token: string) => IdentityWidget | undefined {
  let byToken = new Map<string, string>();
  let indexedCount = -1;
  const reindex = () => {
    byToken = new Map(widgets.all().map((w) => [w.token, w.id]));
    indexedCount = widgets.count();
  };
  const live = (token: string) => {
    const id = byToken.get(token);
    const widget = id === undefined ? undefined : widgets.get(id);
    return widget && widget.token === token ? widget : undefined;
  };
  return (token) => {
    if (indexedCount !== widgets.count()) reindex();
    let widget = live(token);
    if (!widget) {
      reindex();
      widget = live(token);
    }
    return widget && { id: widget.id, teamId: widget.teamId, allowedDomains: widget.allowedDomains };
  };
}
