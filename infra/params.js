'use strict';
/**
 * Package-time checks and derived values for serverless.yml (osls variable source `file`):
 *
 *   provider.region: ${file(./infra/params.js):region}
 *   custom.settings: ${file(./infra/params.js):settings}     (everything else reads ${self:custom.settings.<name>})
 *   the function roles' Statement: ${file(./infra/params.js):syncStatements} / reconcileStatements (from custom.iam)
 *
 * osls calls an exported async function with `{ options, resolveVariable }` and uses what it returns. Referencing
 * `settings` from ONE property keeps a failed check to ONE line of osls's error report (every other property
 * depends on it and is not reported again).
 *
 * Why packaging fails instead of deploying something that cannot work:
 * - a missing required parameter would otherwise be osls's `Value not found at "param" source`, once per use;
 * - a value that is not an id would become part of an IAM ARN (a group id of `*` would widen the membership scope to
 *   every group of the store);
 * - a Connect instance ARN of another region would deploy a rule that never sees the instance's CloudTrail events.
 *
 * The formats are those of shared/config/config.ts (the function validates the same values again at cold start): keep the
 * two in step.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const PATTERNS = {
  identityStoreId: new RegExp(`^(d-[0-9a-f]{10}|${UUID})$`),
  connectInstanceId: new RegExp(`^${UUID}$`),
  connectInstanceArn: new RegExp(`^arn:(aws[a-z-]*):connect:([a-z0-9-]+):(\\d{12}):instance/(${UUID})$`),
  groupId: /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/,
  ssoInstanceArn: /^arn:aws[a-z-]*:sso:::instance\/((sso)?ins-[a-zA-Z0-9-.]{16})$/,
  applicationArn: /^arn:aws[a-z-]*:sso::\d{12}:application\/((sso)?ins-[a-zA-Z0-9-.]{16})\/apl-[a-zA-Z0-9]{16}$/,
  roleArn: /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/,
  // sts:ExternalId: 2-1224 characters of [\w+=,.@:/-].
  externalId: /^[\w+=,.@:/-]{2,1224}$/,
  region: /^[a-z]{2}(-[a-z]+)+-\d+$/,
  groupName: /^[^\p{Cc}]{1,1024}$/u,
  email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
  schedule: /^(rate|cron)\(.+\)$/,
};
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];
const IAM_ROLE_NAME_MAX = 64;
// The longest role name serverless.yml builds: <service>-<stage>-<region>-reconcile.
const LONGEST_ROLE_SUFFIX = 'reconcile';

/** Every stage parameter serverless.yml reads; defaults live in serverless.yml's params.default. */
const NAMES = [
  'identityStoreId', 'connectInstanceId', 'ssoInstanceArn', 'connectApplicationArn', 'managedGroupIds', 'groupMapping',
  'agentGroupName', 'protectedGroups', 'assignmentMode', 'createUsers', 'deprovision', 'updateIdentity',
  'signInAttribute', 'identityCenterRoleArn', 'identityCenterReadRoleArn', 'identityCenterExternalId', 'identityCenterRegion',
  'connectRequestsPerSecond', 'alarmEmail', 'reconcileSchedule', 'reconcileEnabled', 'logLevel', 'sharedLinksTables',
];

/**
 * The IAM actions of the IAM Identity Center directory (sso-directory) that the Service Authorization Reference lists
 * beside each Identity Store action the roles use (its "API operations" table). If AWS evaluates both, a role with the
 * identitystore action alone is refused; the identitystore actions stay scoped to the store, users and managed groups,
 * so the pair still allows only what that scoping allows. sso-directory's actions name no resource type: Resource "*".
 */
const DIRECTORY_COUNTERPARTS = {
  'identitystore:GetUserId': ['sso-directory:GetUserId'],
  'identitystore:DescribeUser': ['sso-directory:DescribeUser', 'sso-directory:DescribeUsers'],
  'identitystore:GetGroupId': ['sso-directory:GetGroupId'],
  'identitystore:IsMemberInGroups': ['sso-directory:IsMemberInGroup', 'sso-directory:IsMemberInGroups'],
  'identitystore:GetGroupMembershipId': ['sso-directory:ListGroupsForMember', 'sso-directory:ListGroupsForUser'],
  'identitystore:ListGroupMembershipsForMember': ['sso-directory:ListGroupsForMember', 'sso-directory:ListGroupsForUser'],
  'identitystore:ListGroupMemberships': ['sso-directory:ListMembersInGroup'],
  'identitystore:ListUsers': ['sso-directory:SearchUsers'],
  'identitystore:CreateGroupMembership': ['sso-directory:AddMemberToGroup'],
  'identitystore:DeleteGroupMembership': ['sso-directory:RemoveMemberFromGroup'],
  'identitystore:CreateUser': ['sso-directory:CreateUser'],
  'identitystore:UpdateUser': ['sso-directory:UpdateUser', 'sso-directory:UpdateUserName'],
  'identitystore:DeleteUser': ['sso-directory:DeleteUser'],
};

class ParameterError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ParameterError';
    // osls prints the stack of a rejected variable source: let it print the message only.
    this.stack = message;
  }
}

const text = (value) => (value === undefined || value === null ? '' : String(value).trim());
const list = (value) => text(value).split(',').map((item) => item.trim()).filter(Boolean);

/** The region part of a Connect instance ARN, or undefined for a bare id (or anything else). */
function instanceArnRegion(connectInstanceId) {
  const match = PATTERNS.connectInstanceArn.exec(text(connectInstanceId));
  return match ? match[2] : undefined;
}

/**
 * The `region` setting of a profile in the shared config file (AWS_CONFIG_FILE or ~/.aws/config), as the AWS CLI and
 * SDKs read it: `[default]` or `[profile <name>]`. Undefined when the file, the profile or the key is absent.
 */
function profileRegion(env, profileName) {
  const file = env.AWS_CONFIG_FILE || path.join(os.homedir(), '.aws', 'config');
  let content;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const wanted = profileName === 'default' ? ['default', 'profile default'] : [`profile ${profileName}`];
  let inWanted = false;
  for (const raw of content.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      inWanted = wanted.includes(section[1].trim().replace(/\s+/g, ' '));
      continue;
    }
    const setting = /^region\s*=\s*(\S+)$/.exec(line);
    if (inWanted && setting) return setting[1];
  }
  return undefined;
}

/**
 * The deployment region, as the AWS CLI and SDKs resolve it: --region, then AWS_REGION, then AWS_DEFAULT_REGION; then
 * the region of connectInstanceId when it is an instance ARN (the stage's own configuration names the region the rule
 * must live in); then the region of the AWS profile (--aws-profile, AWS_PROFILE or "default"). None of these: an error.
 * There is deliberately no silent us-east-1: a stack in the wrong region deploys cleanly and never sees an event.
 */
function resolveRegion({ option, env, connectInstanceId, profile }) {
  const candidates = [
    [text(option), '--region'],
    [text(env.AWS_REGION), 'AWS_REGION'],
    [text(env.AWS_DEFAULT_REGION), 'AWS_DEFAULT_REGION'],
    [instanceArnRegion(connectInstanceId), 'the connectInstanceId ARN'],
    [text(profileRegion(env, text(profile) || text(env.AWS_PROFILE) || 'default')), 'the AWS profile'],
  ];
  const found = candidates.find(([value]) => value);
  if (!found) {
    throw new ParameterError(
      'no AWS region: pass --region <region> (the Connect instance\'s region), or set AWS_REGION, or give connectInstanceId as the instance ARN',
    );
  }
  const [value, source] = found;
  if (!PATTERNS.region.test(value)) throw new ParameterError(`the region "${value}" from ${source} is not an AWS region such as eu-west-2`);
  return value;
}

/**
 * Validates the stage parameters (strings, '' meaning unset) and derives what serverless.yml needs. Returns
 * `{ settings }` or `{ missing, invalid }`, each a list of human-readable items naming the parameter.
 */
function checkParameters(raw, { region, stage, service }) {
  const p = Object.fromEntries(NAMES.map((name) => [name, text(raw[name])]));
  const missing = [];
  const invalid = [];
  const need = (name, why) => {
    if (!p[name]) missing.push(why ? `${name} (${why})` : name);
  };
  const check = (name, ok, message) => {
    if (p[name] && !ok(p[name])) invalid.push(`${name} ${message}`);
  };
  const oneOf = (name, values) => check(name, (v) => values.includes(v), `must be ${values.join(' | ')}`);

  need('identityStoreId');
  need('connectInstanceId');
  need('managedGroupIds');
  oneOf('assignmentMode', ['group', 'user', 'none']);
  oneOf('createUsers', ['true', 'false']);
  oneOf('deprovision', ['membership', 'delete', 'none']);
  oneOf('updateIdentity', ['created', 'none']);
  oneOf('signInAttribute', ['email', 'userName']);
  oneOf('reconcileEnabled', ['true', 'false']);
  // Assignments need the instance and the application; the ownership checks (may we update or delete this identity?)
  // read the user's assignments through the instance.
  if (p.assignmentMode !== 'none') {
    need('ssoInstanceArn', `needed by assignmentMode=${p.assignmentMode}`);
    need('connectApplicationArn', `needed by assignmentMode=${p.assignmentMode}`);
  } else if (p.updateIdentity === 'created') {
    need('ssoInstanceArn', 'needed by updateIdentity=created (ownership checks)');
  } else if (p.deprovision === 'delete') {
    need('ssoInstanceArn', 'needed by deprovision=delete (ownership checks)');
  }
  if (p.identityCenterRoleArn) {
    need('identityCenterExternalId', 'needed with identityCenterRoleArn: the role trusts only callers that send it');
    need('identityCenterReadRoleArn', 'needed with identityCenterRoleArn: the read-only role reconcile assumes (output ReadRoleArn of infra/identity-center-role.yml)');
  }

  check('identityStoreId', (v) => PATTERNS.identityStoreId.test(v), 'must look like d-1234567890 or a UUID');
  check('connectInstanceId', (v) => PATTERNS.connectInstanceId.test(v) || PATTERNS.connectInstanceArn.test(v), 'must be a Connect instance id (UUID) or instance ARN');
  const arnRegion = instanceArnRegion(p.connectInstanceId);
  if (arnRegion && arnRegion !== region) {
    invalid.push(`connectInstanceId is an instance in ${arnRegion} but the deployment region is ${region}: deploy to ${arnRegion} (--region ${arnRegion}), where its CloudTrail events are`);
  }
  const groupIds = list(p.managedGroupIds);
  check('managedGroupIds', () => groupIds.length > 0 && groupIds.every((id) => PATTERNS.groupId.test(id)), 'must be comma-separated Identity Store group ids (npx connect-sso-sync doctor prints them)');
  check('ssoInstanceArn', (v) => PATTERNS.ssoInstanceArn.test(v), 'must look like arn:aws:sso:::instance/ssoins-...');
  check('connectApplicationArn', (v) => PATTERNS.applicationArn.test(v), 'must look like arn:aws:sso::123456789012:application/ssoins-.../apl-...');
  const instanceOfApp = PATTERNS.applicationArn.exec(p.connectApplicationArn);
  const instance = PATTERNS.ssoInstanceArn.exec(p.ssoInstanceArn);
  if (instanceOfApp && instance && instanceOfApp[1] !== instance[1]) {
    invalid.push(`connectApplicationArn belongs to ${instanceOfApp[1]}, not to ssoInstanceArn's ${instance[1]}`);
  }
  check('groupMapping', (v) => {
    try {
      JSON.parse(v);
      return true;
    } catch {
      return false;
    }
  }, 'must be JSON text');
  // IAM lets the function change the members of the managedGroupIds groups only: a mapped group without its id
  // would fail at every sync that adds someone to it, long after a clean deploy.
  const mapped = p.groupMapping ? mappedGroupNames(p.groupMapping) : [p.agentGroupName].filter(Boolean);
  if (groupIds.length > 0 && mapped.length > groupIds.length) {
    const what = p.groupMapping ? 'groupMapping' : 'agentGroupName';
    invalid.push(
      `${what} names ${mapped.length} group(s) (${mapped.join(', ')}) but managedGroupIds holds ${groupIds.length} id(s): ` +
        `${mapped.length - groupIds.length} of these group(s) are missing from managedGroupIds, and the function may change the members of the managedGroupIds groups only; ` +
        'give the id of every mapped group (npx connect-sso-sync doctor prints the managedGroupIds to deploy with)',
    );
  }
  check('agentGroupName', (v) => PATTERNS.groupName.test(v), 'must be 1-1024 characters without control characters');
  check('protectedGroups', (v) => list(v).every((name) => PATTERNS.groupName.test(name)), 'must be comma-separated group names');
  check('identityCenterRoleArn', (v) => PATTERNS.roleArn.test(v), 'must be an IAM role ARN');
  check('identityCenterReadRoleArn', (v) => PATTERNS.roleArn.test(v), 'must be an IAM role ARN');
  check('identityCenterExternalId', (v) => PATTERNS.externalId.test(v), 'must be 2-1224 characters of letters, digits and +=,.@:/-_');
  check('identityCenterRegion', (v) => PATTERNS.region.test(v), 'must be an AWS region such as eu-west-1');
  check('connectRequestsPerSecond', (v) => /^\d+(\.\d+)?$/.test(v) && Number(v) > 0 && Number(v) <= 100, 'must be a number above 0 and at most 100');
  check('alarmEmail', (v) => PATTERNS.email.test(v), 'must be an e-mail address');
  check('reconcileSchedule', (v) => PATTERNS.schedule.test(v), 'must be an EventBridge schedule expression: rate(...) or cron(...)');
  check('logLevel', (v) => LOG_LEVELS.includes(v.toUpperCase()), `must be one of ${LOG_LEVELS.join(', ')}`);
  const sharedTables = p.sharedLinksTables.toLowerCase() === 'none' ? [] : list(p.sharedLinksTables);
  check('sharedLinksTables', () => sharedTables.every((name) => /^[a-zA-Z0-9_.-]{3,255}$/.test(name) && name !== `${service}-${stage}-links`),
    "must be none or comma-separated DynamoDB table names: the other stages' link tables (not this stage's own)");
  const longestRoleName = `${service}-${stage}-${region}-${LONGEST_ROLE_SUFFIX}`;
  if (longestRoleName.length > IAM_ROLE_NAME_MAX) {
    invalid.push(`stage "${stage}" is too long: the IAM role ${longestRoleName} would have ${longestRoleName.length} characters (at most ${IAM_ROLE_NAME_MAX})`);
  }
  if (missing.length > 0 || invalid.length > 0) return { missing, invalid };

  const connectInstanceId = p.connectInstanceId.slice(p.connectInstanceId.lastIndexOf('/') + 1);
  return {
    settings: {
      identityStoreId: p.identityStoreId,
      connectInstanceId,
      ssoInstanceArn: p.ssoInstanceArn,
      connectApplicationArn: p.connectApplicationArn,
      managedGroupIds: groupIds.join(','),
      // One ARN per managed group: the only groups whose memberships the deployed roles may create or delete.
      // Group ARNs carry no account or store (Service Authorization Reference, AWS Identity Store resource types).
      managedGroupArns: groupIds.map((id) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:identitystore:::group/${id}` })),
      groupMapping: p.groupMapping,
      agentGroupName: p.agentGroupName,
      protectedGroups: list(p.protectedGroups).join(','),
      assignmentMode: p.assignmentMode,
      createUsers: p.createUsers,
      deprovision: p.deprovision,
      updateIdentity: p.updateIdentity,
      signInAttribute: p.signInAttribute,
      identityCenterRoleArn: p.identityCenterRoleArn,
      identityCenterReadRoleArn: p.identityCenterReadRoleArn,
      identityCenterExternalId: p.identityCenterExternalId,
      identityCenterRegion: p.identityCenterRegion,
      connectRequestsPerSecond: p.connectRequestsPerSecond,
      alarmEmail: p.alarmEmail,
      reconcileSchedule: p.reconcileSchedule,
      // A --param value is a string; "false" must not become an enabled schedule.
      reconcileEnabled: p.reconcileEnabled === 'true',
      logLevel: p.logLevel.toUpperCase(),
      // The other stages' link tables (stages sharing managed groups), `none`, or '' (not said: --remove-unlinked refuses).
      sharedLinksTables: p.sharedLinksTables.toLowerCase() === 'none' ? 'none' : sharedTables.join(','),
      // Reconcile reads them (Scan) and nothing else of them.
      sharedLinksTableArns: sharedTables.map((name) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${name}` })),
    },
  };
}

/** The distinct group names a groupMapping (JSON text) names, as the function reads it; [] when it is not an object. */
function mappedGroupNames(groupMapping) {
  let json;
  try {
    json = JSON.parse(groupMapping);
  } catch {
    return [];
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return [];
  const names = Object.values(json).flatMap((value) => (Array.isArray(value) ? value : [value]));
  return [...new Set(names.filter((name) => typeof name === 'string').map((name) => name.trim()).filter(Boolean))];
}

/**
 * --param entries osls cannot read: an empty value (`alarmEmail=`) or no `=`. osls refuses them when it reads the first
 * parameter, and its report blames the setting being resolved then (provider.region); this names the parameter.
 */
function paramOptionProblems(optionParam) {
  return [].concat(optionParam ?? []).map(String).filter((entry) => !/[^=]+=.+/.test(entry)).map((entry) => {
    const name = entry.split('=')[0].trim();
    return entry.includes('=') && name
      ? `--param="${entry}" has no value: osls takes no empty --param value (to leave ${name} unset, leave this --param out)`
      : `--param="${entry}" is not name=value`;
  });
}

/**
 * The stage conditions a statement of custom.iam can name in `when:`, from the checked settings. The modes are known
 * when packaging, so a statement a stage does not need is not rendered at all (rather than rendered under a
 * CloudFormation condition that is always false, with an empty ARN in it).
 */
function stageConditions(settings) {
  const here = settings.identityCenterRoleArn === '';
  return {
    identityCenterHere: here,
    identityCenterElsewhere: !here,
    assignments: settings.assignmentMode !== 'none',
    userAssignments: settings.assignmentMode === 'user',
    groupAssignments: settings.assignmentMode === 'group',
    createUsers: settings.createUsers === 'true',
    updateIdentities: settings.updateIdentity === 'created',
    deleteUsers: settings.deprovision === 'delete',
    ownershipChecks: settings.updateIdentity === 'created' || settings.deprovision === 'delete',
    application: settings.connectApplicationArn !== '',
    sharedLinksTables: settings.sharedLinksTableArns.length > 0,
  };
}

/** The statements whose `when:` conditions all hold, without their `when:` key. An unknown condition is an error. */
function selectStatements(statements, settings) {
  const conditions = stageConditions(settings);
  return statements
    .filter((statement) => {
      const when = statement.when === undefined ? [] : [].concat(statement.when);
      for (const name of when) {
        if (!(name in conditions)) throw new Error(`custom.iam: unknown condition "${name}" (known: ${Object.keys(conditions).join(', ')})`);
      }
      return when.every((name) => conditions[name]);
    })
    .map(({ when: _when, ...statement }) => statement);
}

/**
 * The sso-directory counterparts of the identitystore actions of `statements`, as one statement (or none): every
 * rendered Identity Store grant carries its pair, so a mode that drops a grant drops its counterpart too.
 */
function directoryCounterparts(statements) {
  const actions = new Set();
  for (const statement of statements) {
    for (const action of [].concat(statement.Action)) for (const pair of DIRECTORY_COUNTERPARTS[action] ?? []) actions.add(pair);
  }
  if (actions.size === 0) return [];
  return [{ Sid: 'IdentityCenterDirectoryCounterparts', Effect: 'Allow', Action: [...actions].sort(), Resource: '*' }];
}

/** The role statements for the stage's modes, with the directory counterparts of their Identity Store actions. */
const roleStatements = (statements, settings) => {
  const selected = selectStatements(statements, settings);
  return [...selected, ...directoryCounterparts(selected)];
};

/** Edit distance, for "did you mean". */
function distance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/**
 * Parameter names serverless.yml does not read, each with the closest known name. A misspelled parameter would
 * otherwise be ignored silently (`protectedGroup=Admins` leaves protection off and nobody is told).
 */
function unknownParameters(names) {
  return [...new Set(names)]
    .filter((name) => !NAMES.includes(name))
    .map((name) => {
      const lower = name.toLowerCase();
      const [closest] = [...NAMES].sort((a, b) => distance(lower, a.toLowerCase()) - distance(lower, b.toLowerCase()));
      const near = closest !== undefined && distance(lower, closest.toLowerCase()) <= Math.max(3, Math.floor(name.length / 3));
      return near ? `"${name}" (did you mean ${closest}?)` : `"${name}"`;
    });
}

/** The names of the parameters given: --param="name=value" (one or several) and the stage's params in serverless.yml. */
function givenParameterNames(optionParam, stageParams) {
  const fromOptions = [].concat(optionParam ?? []).map((entry) => String(entry).split('=')[0].trim()).filter(Boolean);
  return [...fromOptions, ...Object.keys(stageParams ?? {})];
}

/** The one error message for everything wrong with a stage's parameters. */
function describeProblems({ missing, invalid }, stage) {
  const parts = [];
  if (missing.length > 0) {
    parts.push(`missing stage parameters: ${missing.join(', ')} (pass --param="name=value" or set params.${stage} in serverless.yml)`);
  }
  if (invalid.length > 0) parts.push(`invalid stage parameters: ${invalid.join('; ')}`);
  return parts.join('. ');
}

// A reference resolves each time osls asks; the answer for one packaging never changes.
const memo = new Map();
const once = (key, compute) => {
  if (!memo.has(key)) memo.set(key, compute());
  return memo.get(key);
};

async function readParameters(resolveVariable) {
  const entries = [];
  for (const name of NAMES) entries.push([name, text(await resolveVariable(`param:${name}, ''`))]);
  return Object.fromEntries(entries);
}

module.exports = {
  /** The UUID text of shared/core/ids.ts (a unit test keeps them equal). */
  UUID,
  /** provider.region */
  region: async ({ options, resolveVariable }) => {
    // The first setting that reads a parameter: a --param osls would refuse is named here, before osls blames the region.
    const unreadable = paramOptionProblems(options.param);
    if (unreadable.length > 0) throw new ParameterError(unreadable.join('; '));
    const connectInstanceId = await resolveVariable("param:connectInstanceId, ''");
    return resolveRegion({ option: options.region, env: process.env, connectInstanceId, profile: options['aws-profile'] });
  },

  /** custom.settings: the validated stage parameters and what is derived from them. */
  settings: async ({ options, resolveVariable }) => {
    const stage = text(await resolveVariable('sls:stage'));
    const params = (await resolveVariable("self:params, null")) ?? {};
    const unknown = unknownParameters(givenParameterNames(options.param, { ...params.default, ...params[stage] }));
    if (unknown.length > 0) {
      throw new ParameterError(`unknown stage parameters: ${unknown.join(', ')}; the parameters are ${NAMES.join(', ')}`);
    }
    const region = text(await resolveVariable('self:provider.region'));
    const service = text(await resolveVariable('self:service'));
    const maxReceiveCount = text(await resolveVariable('self:resources.Resources.SyncQueue.Properties.RedrivePolicy.maxReceiveCount'));
    const raw = await readParameters(resolveVariable);
    return once(JSON.stringify({ stage, region, service, raw }), () => {
      const result = checkParameters(raw, { region, stage, service });
      if (!result.settings) throw new ParameterError(describeProblems(result, stage));
      return { ...result.settings, stage, maxReceiveCount };
    });
  },

  /** The syncUser role's statements (custom.iam.sync) for the stage's modes. */
  syncStatements: async ({ resolveVariable }) =>
    roleStatements(await resolveVariable('self:custom.iam.sync'), await resolveVariable('self:custom.settings')),

  /** The reconcile role's statements (custom.iam.reconcile) for the stage's modes. */
  reconcileStatements: async ({ resolveVariable }) =>
    roleStatements(await resolveVariable('self:custom.iam.reconcile'), await resolveVariable('self:custom.settings')),

  // For tests.
  checkParameters,
  selectStatements,
  roleStatements,
  unknownParameters,
  givenParameterNames,
  paramOptionProblems,
  DIRECTORY_COUNTERPARTS,
  describeProblems,
  resolveRegion,
  NAMES,
};
