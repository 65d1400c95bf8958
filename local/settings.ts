/**
 * The settings `npm start` runs the pipeline with: the modes a user may try locally come from the environment
 * (checked by the deployed function's own rules), the ids and URLs are the emulator's own. What is in force is
 * printed at the top of the run, and `--serve` prints every setting the pipeline uses, so the operator commands run
 * with the printed exports see the same configuration as the function.
 */
import { ConfigError, loadSyncSettings } from '../shared/config/config.js';

/** Settings a user may set to try the modes locally (the function's environment variables of the same name). */
export const MODE_SETTINGS = ['GROUP_MAPPING', 'AGENT_GROUP_NAME', 'PROTECTED_GROUPS', 'ASSIGNMENT_MODE', 'CREATE_USERS', 'DEPROVISION', 'UPDATE_IDENTITY', 'SIGN_IN_ATTRIBUTE'] as const;

/** Settings that name AWS resources: locally the emulator creates them, so a value in the environment is not used. */
export const EMULATOR_SETTINGS = [
  'IDENTITY_STORE_ID', 'CONNECT_INSTANCE_ID', 'SSO_INSTANCE_ARN', 'CONNECT_APPLICATION_ARN', 'MANAGED_GROUP_IDS', 'LINKS_TABLE', 'SYNC_QUEUE_URL',
  'DLQ_URL', 'EVENTS_DLQ_URL', 'IDENTITY_CENTER_ROLE_ARN', 'IDENTITY_CENTER_EXTERNAL_ID', 'IDENTITY_CENTER_REGION', 'CONNECT_REQUESTS_PER_SECOND',
  'MAX_RECEIVE_COUNT', 'STAGE',
] as const;

export interface LocalSettings {
  /** The mode settings for the pipeline's function (each one in force, defaults filled in). */
  syncEnv: Record<string, string>;
  /** Which of them came from the environment. */
  fromEnvironment: string[];
  /** Variables of the environment that are not used (the emulator's own resources replace them). */
  ignored: string[];
}

// Placeholders of the right shape, so the modes are checked by the function's own rules before anything starts.
const PLACEHOLDERS = {
  IDENTITY_STORE_ID: 'd-0000000000',
  CONNECT_INSTANCE_ID: '00000000-0000-4000-8000-000000000000',
  SSO_INSTANCE_ARN: 'arn:aws:sso:::instance/ssoins-0000000000000000',
  CONNECT_APPLICATION_ARN: 'arn:aws:sso::000000000000:application/ssoins-0000000000000000/apl-0000000000000000',
};

/**
 * The mode settings in force: those set in `env` (empty counts as unset), else `defaults`, else the function's own
 * defaults. Throws ConfigError (one line naming each wrong variable, as the function would at cold start).
 */
export function localSettings(env: NodeJS.ProcessEnv, defaults: Partial<Record<(typeof MODE_SETTINGS)[number], string>>): LocalSettings {
  const fromEnvironment = MODE_SETTINGS.filter((name) => (env[name] ?? '').trim() !== '');
  const chosen: Record<string, string> = {};
  for (const name of MODE_SETTINGS) {
    const value = fromEnvironment.includes(name) ? env[name] : defaults[name];
    if (value !== undefined) chosen[name] = value;
  }
  const settings = loadSyncSettings({ ...PLACEHOLDERS, ...chosen });
  const syncEnv: Record<string, string> = {
    ...chosen,
    AGENT_GROUP_NAME: settings.agentGroupName,
    PROTECTED_GROUPS: settings.protectedGroupNames.join(','),
    ASSIGNMENT_MODE: settings.assignmentMode,
    CREATE_USERS: String(settings.createUsers),
    DEPROVISION: settings.deprovision,
    UPDATE_IDENTITY: settings.updateIdentity,
    SIGN_IN_ATTRIBUTE: settings.signInAttribute,
  };
  const ignored = EMULATOR_SETTINGS.filter((name) => (env[name] ?? '').trim() !== '');
  return { syncEnv, fromEnvironment, ignored };
}

/** The lines printed at the top of a run: every mode setting in force and where it came from. */
export function settingsLines(s: LocalSettings): string[] {
  const lines = ['Settings in force (set any of them in the environment to try another mode):'];
  for (const name of MODE_SETTINGS) {
    const value = s.syncEnv[name] ?? '';
    lines.push(`  ${name}=${value}${s.fromEnvironment.includes(name) ? '   (from the environment)' : ''}`);
  }
  if (s.ignored.length > 0) lines.push(`  not used (the emulator creates its own): ${s.ignored.join(', ')}`);
  return lines;
}

/** A value as a POSIX shell word: as is when safe, else in single quotes. */
export function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * `export NAME=value` for every setting the pipeline's function runs with (its logging switches aside), so the
 * operator commands run in a shell with these exports see what the function sees.
 */
export function exportLines(env: Record<string, string>): string[] {
  return Object.entries(env)
    .filter(([name]) => !name.startsWith('POWERTOOLS_'))
    .map(([name, value]) => `export ${name}=${shellWord(value)}`);
}

export { ConfigError };
