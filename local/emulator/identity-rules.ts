/**
 * Identity Store semantics the model cannot express (its constraints are checked from the model before an operation
 * runs), and its errors. Messages name the member, never the value sent.
 */
import type { JsonObject } from './core.js';
import { ApiError } from './core.js';
import { checkRequest } from './model-checks.js';

/** `Administrator` and `AWSAdministrators` are reserved for users and groups (any case). */
const RESERVED_NAMES = new Set(['administrator', 'awsadministrators']);

/** A well-formed Identity Store resource id (the model's pattern), the only kind ResourceNotFoundException echoes. */
const RESOURCE_ID = /^(?:[0-9a-f]{10}-)?[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;

export const validation = (message: string): ApiError => new ApiError('ValidationException', 400, message);

/** ResourceNotFoundException; `resourceId` only when it is a well-formed id (the member is a ResourceId). */
export const notFound = (resourceType: 'USER' | 'GROUP' | 'IDENTITY_STORE' | 'GROUP_MEMBERSHIP', resourceId?: string): ApiError =>
  new ApiError('ResourceNotFoundException', 404, `The requested ${resourceType.toLowerCase().replace('_', ' ')} was not found.`,
    resourceId === undefined || !RESOURCE_ID.test(resourceId) ? { ResourceType: resourceType } : { ResourceType: resourceType, ResourceId: resourceId });

export const uniqueness = (): ApiError =>
  new ApiError('ConflictException', 409, 'The request would violate a uniqueness constraint of the identity store.', { Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' });

export const missing = (member: string): ApiError =>
  validation(`1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must not be null`);

/** Refuses a reserved user or group name. */
export function checkNotReserved(name: string | undefined, what: 'user' | 'group'): void {
  if (name !== undefined && RESERVED_NAMES.has(name.toLowerCase())) throw validation(`The ${what} name is reserved.`);
}

/** A whole user or group (after UpdateUser/UpdateGroup applied its paths, or when seeding) against the model's Create shape. */
export function checkEntity(operation: 'CreateUser' | 'CreateGroup', identityStoreId: string, entity: JsonObject): void {
  checkRequest('identitystore', operation, { ...entity, IdentityStoreId: identityStoreId });
}
