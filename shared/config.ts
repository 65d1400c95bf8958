// zod/mini: the same validation as zod, tree-shaken to a few KB of the bundle (classic zod adds ~450 KB).
import * as z from 'zod/mini';
import type { AssignmentMode } from './core/sync-user.js';

/** Settings of the syncUser function, read once from the environment. */
export interface SyncConfig {
  identityStoreId: string;
  connectInstanceId: string;
  dlqUrl: string;
  ssoInstanceArn?: string;
  connectApplicationArn?: string;
  agentGroupName: string;
  assignmentMode: AssignmentMode;
  createUsers: boolean;
  identityCenterRoleArn?: string;
  identityCenterRegion?: string;
  connectRequestsPerSecond: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

// Empty strings are how serverless.yml passes "not set" for optional parameters.
const unsetIfEmpty = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodMiniType>(schema: T) => z.pipe(z.transform(unsetIfEmpty), z.optional(schema));
const withDefault = <T extends z.ZodMiniType>(schema: T, value: z.output<T>) =>
  z.pipe(z.transform(unsetIfEmpty), z._default(z.optional(schema), value as never));
const matching = (pattern: RegExp, message: string) => z.string().check(z.regex(pattern, message));

const IDENTITY_STORE_ID = /^(d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const CONNECT_INSTANCE = /^(arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SSO_INSTANCE_ARN = /^arn:aws[a-z-]*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/;
const APPLICATION_ARN = /^arn:aws[a-z-]*:sso::\d{12}:application\/(sso)?ins-[a-zA-Z0-9-.]{16}\/apl-[a-zA-Z0-9]{16}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
export const URL_PATTERN = /^https?:\/\/[^\s/]+(\/\S*)?$/;

const settingsShape = {
    IDENTITY_STORE_ID: matching(IDENTITY_STORE_ID, 'must look like d-1234567890 or a UUID'),
    CONNECT_INSTANCE_ID: matching(CONNECT_INSTANCE, 'must be a Connect instance id (UUID) or instance ARN'),
    SSO_INSTANCE_ARN: optional(matching(SSO_INSTANCE_ARN, 'must look like arn:aws:sso:::instance/ssoins-...')),
    CONNECT_APPLICATION_ARN: optional(
      matching(APPLICATION_ARN, 'must look like arn:aws:sso::123456789012:application/ssoins-.../apl-...'),
    ),
    AGENT_GROUP_NAME: withDefault(z.string().check(z.maxLength(1024, 'must be at most 1024 characters')), 'ConnectAgents'),
    ASSIGNMENT_MODE: withDefault(z.enum(['group', 'user', 'none'], 'must be group, user or none'), 'group'),
    CREATE_USERS: withDefault(z.enum(['true', 'false'], 'must be true or false'), 'true'),
    IDENTITY_CENTER_ROLE_ARN: optional(matching(ROLE_ARN, 'must be an IAM role ARN')),
    IDENTITY_CENTER_REGION: optional(matching(REGION, 'must be an AWS region such as eu-west-1')),
    CONNECT_REQUESTS_PER_SECOND: withDefault(
      z.coerce.number('must be a number').check(z.positive('must be positive'), z.maximum(100, 'must be at most 100')),
      1,
    ),
};

const applicationUnlessNone = z.superRefine((env: { ASSIGNMENT_MODE: string; SSO_INSTANCE_ARN?: string; CONNECT_APPLICATION_ARN?: string }, ctx) => {
  if (env.ASSIGNMENT_MODE === 'none') return;
  for (const key of ['SSO_INSTANCE_ARN', 'CONNECT_APPLICATION_ARN'] as const) {
    if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required unless ASSIGNMENT_MODE=none', input: env[key] });
  }
});

/** The sync settings: what the syncUser function and the operator commands that run the sync core share. */
const settingsSchema = z.object(settingsShape).check(applicationUnlessNone);
/** The syncUser function also parks permanent failures in the dead-letter queue. */
const syncSchema = z
  .object({ ...settingsShape, DLQ_URL: matching(URL_PATTERN, 'must be the URL of the sync-dlq queue') })
  .check(applicationUnlessNone);

/** The bare instance id of an id, an instance ARN or a URL-encoded instance ARN. */
export function instanceIdOf(value: string): string {
  const decoded = value.includes('%') ? safeDecode(value) : value;
  return decoded.slice(decoded.lastIndexOf('/') + 1);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** "NAME is required" or "NAME <what is wrong>" for each issue, naming the environment variable. */
export function describeIssues(issues: readonly { path: PropertyKey[]; code: string; message: string }[], env: NodeJS.ProcessEnv): string {
  const problems = issues.map((issue) => {
    const name = issue.path.map(String).join('.');
    const missing = issue.code !== 'custom' && unsetIfEmpty(env[name]) === undefined;
    return `${name} ${missing ? 'is required' : issue.message}`;
  });
  return `invalid configuration: ${problems.join('; ')}`;
}

/** The sync settings without the dead-letter queue (for commands that never park failures). Throws ConfigError. */
export function loadSyncSettings(env: NodeJS.ProcessEnv = process.env): Readonly<Omit<SyncConfig, 'dlqUrl'>> {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error.issues, env));
  const e = parsed.data;
  return Object.freeze({
    identityStoreId: e.IDENTITY_STORE_ID,
    connectInstanceId: instanceIdOf(e.CONNECT_INSTANCE_ID),
    ssoInstanceArn: e.SSO_INSTANCE_ARN,
    connectApplicationArn: e.CONNECT_APPLICATION_ARN,
    agentGroupName: e.AGENT_GROUP_NAME,
    assignmentMode: e.ASSIGNMENT_MODE,
    createUsers: e.CREATE_USERS === 'true',
    identityCenterRoleArn: e.IDENTITY_CENTER_ROLE_ARN,
    identityCenterRegion: e.IDENTITY_CENTER_REGION,
    connectRequestsPerSecond: e.CONNECT_REQUESTS_PER_SECOND,
  });
}

/**
 * Parses and validates the syncUser environment. Throws ConfigError naming every wrong variable, so a bad deployment
 * fails at cold start with a message that says what to fix.
 */
export function loadSyncConfig(env: NodeJS.ProcessEnv = process.env): Readonly<SyncConfig> {
  const parsed = syncSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error.issues, env));
  return Object.freeze({ ...loadSyncSettings(env), dlqUrl: parsed.data.DLQ_URL });
}
