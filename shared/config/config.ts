// zod/mini: the same validation as zod, tree-shaken to a few KB of the bundle (classic zod adds ~450 KB).
import * as z from 'zod/mini';
import type { SyncSettings } from '../core/context.js';
import { UUID_SOURCE as UUID } from '../core/ids.js';
import { parseGroupMapping } from './group-mapping-config.js';

/** Settings that the syncUser function and the operator commands share, read once from the environment. */
export type SyncSettingsConfig = ReturnType<typeof loadSyncSettings>;

/** The syncUser function's configuration: the shared settings, the link table and the dead-letter queue. */
export type SyncConfig = ReturnType<typeof loadSyncConfig>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

// Empty strings are how serverless.yml passes "not set" for optional parameters.
const unsetIfEmpty = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodMiniType>(schema: T) => z.pipe(z.transform(unsetIfEmpty), z.optional(schema));
const withDefault = <T extends z.ZodMiniType>(schema: T, value: z.output<T>) =>
  z.pipe(z.transform(unsetIfEmpty), z._default(z.optional(schema), value as never));
const matching = (pattern: RegExp, message: string) => z.string().check(z.regex(pattern, message));
const list = (pattern: RegExp, message: string) =>
  optional(z.pipe(z.string(), z.transform((v: string) => v.split(',').map((s) => s.trim()).filter(Boolean))).check(
    z.refine((items: string[]) => items.every((item) => pattern.test(item)), message),
  ));

const IDENTITY_STORE_ID = new RegExp(`^(d-[0-9a-f]{10}|${UUID})$`);
export const CONNECT_INSTANCE_ARN = new RegExp(`^arn:aws[a-z-]*:connect:([a-z0-9-]+):(\\d{12}):instance\\/(${UUID})$`);
const CONNECT_INSTANCE = new RegExp(`^(arn:aws[a-z-]*:connect:[a-z0-9-]+:\\d{12}:instance\\/)?${UUID}$`);
const GROUP_ID = /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;
const SSO_INSTANCE_ARN = /^arn:aws[a-z-]*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/;
const APPLICATION_ARN = /^arn:aws[a-z-]*:sso::\d{12}:application\/(sso)?ins-[a-zA-Z0-9-.]{16}\/apl-[a-zA-Z0-9]{16}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
// sts:ExternalId: 2-1224 characters of [\w+=,.@:/-].
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
export const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
export const URL_PATTERN = /^https?:\/\/[^\s/]+(\/\S*)?$/;

const settingsShape = {
  IDENTITY_STORE_ID: matching(IDENTITY_STORE_ID, 'must look like d-1234567890 or a UUID'),
  CONNECT_INSTANCE_ID: matching(CONNECT_INSTANCE, 'must be a Connect instance id (UUID) or instance ARN'),
  SSO_INSTANCE_ARN: optional(matching(SSO_INSTANCE_ARN, 'must look like arn:aws:sso:::instance/ssoins-...')),
  CONNECT_APPLICATION_ARN: optional(matching(APPLICATION_ARN, 'must look like arn:aws:sso::123456789012:application/ssoins-.../apl-...')),
  AGENT_GROUP_NAME: withDefault(z.string().check(z.maxLength(1024, 'must be at most 1024 characters')), 'ConnectAgents'),
  GROUP_MAPPING: optional(z.string()),
  MANAGED_GROUP_IDS: list(GROUP_ID, 'must be comma-separated Identity Store group ids'),
  PROTECTED_GROUPS: list(/^[^\p{Cc}]{1,1024}$/u, 'must be comma-separated group names'),
  ASSIGNMENT_MODE: withDefault(z.enum(['group', 'user', 'none'], 'must be group, user or none'), 'group'),
  CREATE_USERS: withDefault(z.enum(['true', 'false'], 'must be true or false'), 'true'),
  DEPROVISION: withDefault(z.enum(['membership', 'delete', 'none'], 'must be membership, delete or none'), 'membership'),
  UPDATE_IDENTITY: withDefault(z.enum(['created', 'none'], 'must be created or none'), 'created'),
  SIGN_IN_ATTRIBUTE: withDefault(z.enum(['email', 'userName'], 'must be email or userName'), 'email'),
  IDENTITY_CENTER_ROLE_ARN: optional(matching(ROLE_ARN, 'must be an IAM role ARN')),
  IDENTITY_CENTER_EXTERNAL_ID: optional(matching(EXTERNAL_ID, 'must be 2-1224 characters of letters, digits and +=,.@:/-_')),
  IDENTITY_CENTER_REGION: optional(matching(REGION, 'must be an AWS region such as eu-west-1')),
  CONNECT_REQUESTS_PER_SECOND: withDefault(
    z.coerce.number('must be a number').check(z.positive('must be positive'), z.maximum(100, 'must be at most 100')),
    1,
  ),
};

/** Cross-field rules: which settings the chosen modes need. */
const dependencies = z.superRefine((env: z.output<z.ZodMiniObject<typeof settingsShape>>, ctx) => {
  const require = (key: keyof typeof settingsShape, why: string) => {
    if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: `is required ${why}`, input: env[key] });
  };
  if (env.ASSIGNMENT_MODE !== 'none') {
    require('SSO_INSTANCE_ARN', 'unless ASSIGNMENT_MODE=none');
    require('CONNECT_APPLICATION_ARN', 'unless ASSIGNMENT_MODE=none');
  }
  // The ownership rules read a user's application and account assignments through the SSO instance.
  if (env.UPDATE_IDENTITY === 'created') require('SSO_INSTANCE_ARN', 'with UPDATE_IDENTITY=created (ownership checks)');
  if (env.DEPROVISION === 'delete') require('SSO_INSTANCE_ARN', 'with DEPROVISION=delete (ownership checks)');
  if (env.IDENTITY_CENTER_ROLE_ARN) require('IDENTITY_CENTER_EXTERNAL_ID', 'with IDENTITY_CENTER_ROLE_ARN (the role trusts only callers that send it)');
});

const settingsSchema = z.object(settingsShape).check(dependencies);
const syncSchema = z.object({
  ...settingsShape,
  LINKS_TABLE: matching(TABLE_NAME, 'must be a DynamoDB table name'),
  DLQ_URL: matching(URL_PATTERN, 'must be the URL of the sync-dlq queue'),
  MAX_RECEIVE_COUNT: withDefault(z.coerce.number('must be a number').check(z.int('must be a whole number'), z.positive('must be positive')), 5),
}).check(dependencies);

/** The bare instance id of an id, an instance ARN or a URL-encoded instance ARN. */
export function instanceIdOf(value: string): string {
  const decoded = value.includes('%') ? safeDecode(value) : value;
  return decoded.slice(decoded.lastIndexOf('/') + 1);
}

export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The environment parsed by `schema`; else ConfigError with "NAME is required" or "NAME <what is wrong>" for each issue. */
export function parseEnv<S extends z.ZodMiniType>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const result = z.safeParse(schema, env);
  if (result.success) return result.data;
  const problems = new Set(result.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.');
    const missing = issue.code !== 'custom' && unsetIfEmpty(env[name]) === undefined;
    return `${name} ${missing ? 'is required' : issue.message}`;
  }));
  throw new ConfigError(`invalid configuration: ${[...problems].join('; ')}`);
}

/** The shared settings (doctor, reconcile, the functions). Throws ConfigError naming every wrong variable. */
export function loadSyncSettings(env: NodeJS.ProcessEnv = process.env) {
  const e = parseEnv(settingsSchema, env);
  const mapping = parseGroupMapping(e.GROUP_MAPPING, e.AGENT_GROUP_NAME);
  if ('problems' in mapping) throw new ConfigError(`invalid configuration: ${mapping.problems.map((p) => `GROUP_MAPPING ${p}`).join('; ')}`);
  const arn = CONNECT_INSTANCE_ARN.exec(e.CONNECT_INSTANCE_ID);
  return Object.freeze({
    identityStoreId: e.IDENTITY_STORE_ID,
    /** The bare instance id (CONNECT_INSTANCE_ID may be an ARN). */
    connectInstanceId: instanceIdOf(e.CONNECT_INSTANCE_ID),
    /** Region and account when CONNECT_INSTANCE_ID was given as an ARN. */
    connectInstanceArn: arn ? { region: arn[1] ?? '', account: arn[2] ?? '' } : undefined,
    ssoInstanceArn: e.SSO_INSTANCE_ARN,
    connectApplicationArn: e.CONNECT_APPLICATION_ARN,
    agentGroupName: e.AGENT_GROUP_NAME,
    groupMapping: mapping,
    managedGroupIds: e.MANAGED_GROUP_IDS ? new Set(e.MANAGED_GROUP_IDS) : undefined,
    protectedGroupNames: e.PROTECTED_GROUPS ?? [],
    assignmentMode: e.ASSIGNMENT_MODE,
    createUsers: e.CREATE_USERS === 'true',
    deprovision: e.DEPROVISION,
    updateIdentity: e.UPDATE_IDENTITY,
    signInAttribute: e.SIGN_IN_ATTRIBUTE,
    identityCenterRoleArn: e.IDENTITY_CENTER_ROLE_ARN,
    identityCenterExternalId: e.IDENTITY_CENTER_EXTERNAL_ID,
    identityCenterRegion: e.IDENTITY_CENTER_REGION,
    connectRequestsPerSecond: e.CONNECT_REQUESTS_PER_SECOND,
  });
}

/**
 * Parses and validates the syncUser environment. Throws ConfigError naming every wrong variable, so a bad deployment
 * fails at cold start with a message that says what to fix.
 */
export function loadSyncConfig(env: NodeJS.ProcessEnv = process.env) {
  const e = parseEnv(syncSchema, env);
  return Object.freeze({ ...loadSyncSettings(env), linksTable: e.LINKS_TABLE, dlqUrl: e.DLQ_URL, maxReceiveCount: e.MAX_RECEIVE_COUNT });
}

/** The links table for commands that read or write links (reconcile). */
export function loadLinksTable(env: NodeJS.ProcessEnv = process.env): string {
  return parseEnv(z.object({ LINKS_TABLE: matching(TABLE_NAME, 'must be a DynamoDB table name (stack output LinksTableName)') }), env).LINKS_TABLE;
}

/** The core's settings for a configuration. */
export function syncSettingsOf(config: SyncSettingsConfig): SyncSettings {
  return {
    instanceId: config.connectInstanceId,
    mapping: config.groupMapping,
    assignmentMode: config.assignmentMode,
    createUsers: config.createUsers,
    protectedGroupNames: config.protectedGroupNames,
    managedGroupIds: config.managedGroupIds,
    deprovision: config.deprovision,
    updateIdentity: config.updateIdentity,
    signInAttribute: config.signInAttribute,
  };
}
