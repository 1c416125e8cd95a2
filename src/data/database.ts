import { Table } from './table.ts';
import { membershipRecord, sdkTokenRecord, teamRecord, userRecord } from './schemas.ts';
import { workflowRecord } from '../resources/workflows/records.ts';
import { executionRecord } from '../resources/executions/records.ts';
import { credentialRecord } from '../resources/credentials/records.ts';

/** Creates the empty in-memory collections of one sandbox state. */
export function createDatabase() {
  return {
    teams: new Table('teams', teamRecord),
    users: new Table('users', userRecord),
    memberships: new Table('memberships', membershipRecord),
    sdkTokens: new Table('sdkTokens', sdkTokenRecord),
    workflows: new Table('workflows', workflowRecord),
    executions: new Table('executions', executionRecord),
    credentials: new Table('credentials', credentialRecord),
  };
}

/** The collections of one sandbox state (see {@link createDatabase}). */
export type Database = ReturnType<typeof createDatabase>;
