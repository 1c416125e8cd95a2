/** See build/bundle-browser.mjs: bundles a browser entry into one minified IIFE with rolldown. */
export function bundleForBrowser(file: string): Promise<{ code: string; moduleIds: string[] }>;
