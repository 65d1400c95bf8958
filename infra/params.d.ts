/** Types of infra/params.js (CommonJS, loaded by osls as a `file` variable source), for the tests. */
export type ParameterValues = Partial<Record<string, string>>;

export interface Settings {
  identityStoreId: string;
  connectInstanceId: string;
  ssoInstanceArn: string;
  connectApplicationArn: string;
  managedGroupIds: string;
  managedGroupArns: { 'Fn::Sub': string }[];
  groupMapping: string;
  agentGroupName: string;
  protectedGroups: string;
  assignmentMode: string;
  createUsers: string;
  deprovision: string;
  updateIdentity: string;
  signInAttribute: string;
  identityCenterRoleArn: string;
  identityCenterReadRoleArn: string;
  identityCenterExternalId: string;
  identityCenterRegion: string;
  connectRequestsPerSecond: string;
  alarmEmail: string;
  reconcileSchedule: string;
  reconcileEnabled: boolean;
  logLevel: string;
  sharedLinksTables: string;
  sharedLinksTableArns: { 'Fn::Sub': string }[];
}

export type CheckResult = { settings: Settings } | { missing: string[]; invalid: string[] };

export declare function checkParameters(raw: ParameterValues, context: { region: string; stage: string; service: string }): CheckResult;
export declare function describeProblems(problems: { missing: string[]; invalid: string[] }, stage: string): string;
export declare function resolveRegion(input: { option?: string; env: NodeJS.ProcessEnv; connectInstanceId?: string; profile?: string }): string;
export declare function selectStatements<T extends { when?: string | string[] }>(statements: T[], settings: Settings): Omit<T, 'when'>[];
export declare function roleStatements<T extends { when?: string | string[] }>(statements: T[], settings: Settings): Record<string, unknown>[];
export declare function unknownParameters(names: string[]): string[];
export declare function paramOptionProblems(optionParam: string | string[] | undefined): string[];
export declare function givenParameterNames(optionParam: string | string[] | undefined, stageParams: Record<string, unknown> | undefined): string[];
export declare const DIRECTORY_COUNTERPARTS: Record<string, string[]>;
export declare const NAMES: readonly string[];
export declare const UUID: string;
