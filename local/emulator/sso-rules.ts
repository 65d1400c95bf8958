/** SSO Admin request validation from the service model (ARN and id patterns, enums), anchored as AWS matches them. */
import type { Json, JsonObject } from './core.js';
import { ApiError, isObject } from './core.js';

const PARTITION = 'aws(?:-[a-z]{1,5}){0,3}';
const PATTERNS = {
  instanceArn: new RegExp(`^arn:${PARTITION}:sso:::instance/(?:sso)?ins-[a-zA-Z0-9-.]{16}$`),
  applicationArn: new RegExp(`^arn:${PARTITION}:sso::\\d{12}:application/(?:sso)?ins-[a-zA-Z0-9-.]{16}/apl-[a-zA-Z0-9]{16}$`),
  permissionSetArn: new RegExp(`^arn:${PARTITION}:sso:::permissionSet/(?:sso)?ins-[a-zA-Z0-9-.]{16}/ps-[a-zA-Z0-9-./]{16}$`),
  principalId: /^(?:[0-9a-f]{10}-)?[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/,
  accountId: /^\d{12}$/,
};

export const validation = (message: string): ApiError => new ApiError('ValidationException', 400, message);
export const notFound = (what: string): ApiError => new ApiError('ResourceNotFoundException', 404, `The specified ${what} was not found.`);

function pattern(value: Json | undefined, member: string, regex: RegExp, required: boolean): string | undefined {
  if (value === undefined || value === null) {
    if (required) throw validation(`1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof value !== 'string' || !regex.test(value)) {
    throw validation(`1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must satisfy the regular expression pattern of the model`);
  }
  return value;
}

export const ssoRules = {
  instanceArn: (v: Json | undefined): string => pattern(v, 'instanceArn', PATTERNS.instanceArn, true) ?? '',
  applicationArn: (v: Json | undefined, member = 'applicationArn', required = true): string | undefined => pattern(v, member, PATTERNS.applicationArn, required),
  permissionSetArn: (v: Json | undefined): string => pattern(v, 'permissionSetArn', PATTERNS.permissionSetArn, true) ?? '',
  principalId: (v: Json | undefined): string => pattern(v, 'principalId', PATTERNS.principalId, true) ?? '',
  accountId: (v: Json | undefined, member = 'accountId', required = true): string | undefined => pattern(v, member, PATTERNS.accountId, required),
  principalType: (v: Json | undefined): 'USER' | 'GROUP' => {
    if (v !== 'USER' && v !== 'GROUP') throw validation("1 validation error detected: Value at 'principalType' failed to satisfy constraint: Member must satisfy enum value set: [USER, GROUP]");
    return v;
  },
  filter: (input: JsonObject): JsonObject => {
    const filter = input.Filter;
    if (filter !== undefined && !isObject(filter)) throw validation("Value at 'filter' must be an object.");
    return filter ?? {};
  },
};
