/**
 * A UUID as AWS writes the ids this service reads (Connect instance and user ids, an Identity Store id of the newer
 * form): lower-case hexadecimal. infra/params.js checks the stage parameters with the same text (a unit test keeps the
 * two equal: osls loads that file without TypeScript).
 */
export const UUID_SOURCE = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** Exactly one UUID, in lower case. */
export const UUID = new RegExp(`^${UUID_SOURCE}$`);
