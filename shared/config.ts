import { z } from 'zod';
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
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const IDENTITY_STORE_ID = /^(d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const CONNECT_INSTANCE = /^(arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SSO_INSTANCE_ARN = /^arn:aws[a-z-]*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/;
const APPLICATION_ARN = /^arn:aws[a-z-]*:sso::\d{12}:application\/(sso)?ins-[a-zA-Z0-9-.]{16}\/apl-[a-zA-Z0-9]{16}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

const envSchema = z
  .object({
    IDENTITY_STORE_ID: z.string().regex(IDENTITY_STORE_ID, 'must look like d-1234567890 or a UUID'),
    CONNECT_INSTANCE_ID: z.string().regex(CONNECT_INSTANCE, 'must be a Connect instance id (UUID) or instance ARN'),
    DLQ_URL: z.url('must be the URL of the sync-dlq queue'),
    SSO_INSTANCE_ARN: optional(z.string().regex(SSO_INSTANCE_ARN, 'must look like arn:aws:sso:::instance/ssoins-...')),
    CONNECT_APPLICATION_ARN: optional(
      z.string().regex(APPLICATION_ARN, 'must look like arn:aws:sso::123456789012:application/ssoins-.../apl-...'),
    ),
    AGENT_GROUP_NAME: optional(z.string().min(1).max(1024)).default('ConnectAgents'),
    ASSIGNMENT_MODE: optional(z.enum(['group', 'user', 'none'])).default('group'),
    CREATE_USERS: optional(z.enum(['true', 'false'])).default('true'),
    IDENTITY_CENTER_ROLE_ARN: optional(z.string().regex(ROLE_ARN, 'must be an IAM role ARN')),
    IDENTITY_CENTER_REGION: optional(z.string().regex(REGION, 'must be an AWS region such as eu-west-1')),
    CONNECT_REQUESTS_PER_SECOND: optional(z.coerce.number().positive().max(100)).default(1),
  })
  .superRefine((env, ctx) => {
    if (env.ASSIGNMENT_MODE === 'none') return;
    for (const key of ['SSO_INSTANCE_ARN', 'CONNECT_APPLICATION_ARN'] as const) {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required unless ASSIGNMENT_MODE=none' });
    }
  });

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

/**
 * Parses and validates the syncUser environment. Throws ConfigError naming every wrong variable, so a bad deployment
 * fails at cold start with a message that says what to fix.
 */
export function loadSyncConfig(env: NodeJS.ProcessEnv = process.env): Readonly<SyncConfig> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    identityStoreId: e.IDENTITY_STORE_ID,
    connectInstanceId: instanceIdOf(e.CONNECT_INSTANCE_ID),
    dlqUrl: e.DLQ_URL,
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
