/**
 * Amazon Connect's bulk-upload CSV template, as the admin website's "Upload users" takes it. Two templates exist:
 * SAML instances have no email or password column (the user login is usually the email); Connect-managed
 * instances have both. Phone types appear as soft/desk or SOFT_PHONE/DESK_PHONE.
 */
import { ROUTING_PROFILES, type NewAgent } from './admin.js';
import { DEFAULT_SECURITY_PROFILES } from './emulator/connect.js';

const SAML_HEADER = ['first name', 'last name', 'user login', 'routing profile name', 'security_profile_name_1|security_profile_name_2', 'phone type (soft/desk)', 'phone number', 'soft phone auto accept (yes/no)', 'acw timeout (seconds)'];
const MANAGED_HEADER = ['first name', 'last name', 'email address', 'password', 'user login', 'routing profile name', 'security_profile_name_1|security_profile_name_2', 'phone type (soft/desk)', 'phone number', 'soft phone auto accept (yes/no)', 'acw timeout (seconds)'];

/** What is wrong with a file: `problems` lists each bad row ("line 4: ..."), the message the first MAX_REPORTED. */
export class CsvError extends Error {
  override readonly name = 'CsvError';
  constructor(message: string, readonly problems: string[] = [message]) {
    super(message);
  }
}

/** More bad rows than this and the file is probably not the template (or the wrong one): the rest are counted. */
export const MAX_REPORTED = 20;

function rowsError(problems: string[]): CsvError {
  const shown = problems.slice(0, MAX_REPORTED).map((p) => `  ${p}`);
  if (problems.length > MAX_REPORTED) shown.push(`  ... and ${problems.length - MAX_REPORTED} more`);
  return new CsvError(`${problems.length} bad row(s):\n${shown.join('\n')}`, problems);
}

/** RFC 4180 fields: commas, double quotes with "" escapes, CRLF or LF line ends. Returns rows with line numbers. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let field = '';
  let fields: string[] = [];
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line += 1;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      fields.push(field);
      if (fields.some((f) => f.trim() !== '')) rows.push({ line: rowLine, fields });
      fields = [];
      field = '';
      line += 1;
      rowLine = line;
    } else field += c;
  }
  if (quoted) throw new CsvError(`line ${rowLine}: a quoted field is not closed`);
  fields.push(field);
  if (fields.some((f) => f.trim() !== '')) rows.push({ line: rowLine, fields });
  return rows;
}

const USERNAME = /^[a-zA-Z0-9_\-.@]{1,64}$/;
const normalise = (h: string) => h.trim().toLowerCase().replace(/^\ufeff/, '');

/** What the instance offers the rows: the names Connect resolves, as a new instance has them. */
export interface InstanceProfiles {
  securityProfiles: readonly string[];
  routingProfiles: readonly string[];
  /**
   * When given, only that instance's template is taken: a SAML instance refuses IdentityInfo.Email (and has no
   * passwords), so the Connect-managed template's email column cannot be uploaded to it.
   */
  identityManagementType?: 'SAML' | 'CONNECT_MANAGED';
}

export const NEW_INSTANCE: InstanceProfiles = { securityProfiles: DEFAULT_SECURITY_PROFILES, routingProfiles: Object.keys(ROUTING_PROFILES) };
// Connect's model: DeskPhoneNumber is E.164; AfterContactWorkTimeLimit is 0 or more seconds (the console takes up to 2,000,000).
const E164 = /^\+[1-9]\d{1,14}$/;
const MAX_ACW_SECONDS = 2_000_000;
const YES = new Set(['yes', 'true', 'y']);
const NO = new Set(['no', 'false', 'n', '']);

type Fields = (name: string) => string;

/** The phone settings of a row, or the problem Connect would refuse it for. */
function phoneOf(at: Fields): { problem: string } | Pick<NewAgent, 'phoneType' | 'deskPhoneNumber' | 'autoAccept' | 'afterContactWorkSeconds'> {
  const type = at('phone type (soft/desk)').toLowerCase();
  const phoneType = type === 'soft' || type === 'soft_phone' ? 'SOFT_PHONE' : type === 'desk' || type === 'desk_phone' ? 'DESK_PHONE' : undefined;
  if (!phoneType) return { problem: 'phone type must be soft or desk (or SOFT_PHONE, DESK_PHONE)' };
  const number = at('phone number');
  if (phoneType === 'DESK_PHONE' && !number) return { problem: 'a desk phone needs a phone number' };
  if (number && !E164.test(number)) return { problem: 'phone number must be in E.164 form, e.g. +12065550100' };
  const accept = at('soft phone auto accept (yes/no)').toLowerCase();
  if (!YES.has(accept) && !NO.has(accept)) return { problem: 'soft phone auto accept must be yes or no' };
  const acw = at('acw timeout (seconds)');
  const seconds = acw === '' ? 0 : Number(acw);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_ACW_SECONDS) return { problem: `ACW timeout must be a whole number of seconds, 0 to ${MAX_ACW_SECONDS}` };
  return { phoneType, ...(number && { deskPhoneNumber: number }), autoAccept: YES.has(accept), afterContactWorkSeconds: seconds };
}

/**
 * The agents of a bulk-upload file; throws CsvError naming every bad row (line and problem), or a wrong header. A row
 * is bad when Connect would refuse it: a user login it does not take, a security or routing profile the instance does
 * not have (`instance`: those of a new instance by default), phone settings out of its rules.
 */
export function readBulkUpload(text: string, instance: InstanceProfiles = NEW_INSTANCE): NewAgent[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new CsvError('the file is empty: expected the Amazon Connect bulk-upload template header');
  const columns = header.fields.map(normalise);
  const template = [SAML_HEADER, MANAGED_HEADER].find((t) => t.length === columns.length && t.every((h, i) => h === columns[i]));
  const wrongTemplate = instance.identityManagementType === 'SAML' ? MANAGED_HEADER : instance.identityManagementType === 'CONNECT_MANAGED' ? SAML_HEADER : undefined;
  if (template && template === wrongTemplate) {
    throw new CsvError(instance.identityManagementType === 'SAML'
      ? 'line 1: this is the Connect-managed template (email address, password); the instance is SAML, where Connect refuses an email: use the SAML template (the user login is the email):\n' +
          `  ${SAML_HEADER.join(',')}`
      : 'line 1: this is the SAML template; the instance is Connect-managed (each user needs an email address and a password): use\n' +
          `  ${MANAGED_HEADER.join(',')}`);
  }
  if (!template) {
    throw new CsvError(
      'line 1: not an Amazon Connect bulk-upload header (letter case does not matter); expected one of the two templates:\n' +
        `  SAML instance:            ${SAML_HEADER.join(',')}\n` +
        `  Connect-managed instance: ${MANAGED_HEADER.join(',')}`,
    );
  }
  const firstLineOf = new Map<string, number>(); // lower-cased user login -> the line it first appears on
  const problems: string[] = [];
  const agents: NewAgent[] = [];
  for (const { line, fields } of rows) {
    if (fields.length !== template.length) {
      problems.push(`line ${line}: ${fields.length} fields, the template has ${template.length}`);
      continue;
    }
    const at: Fields = (name) => (fields[template.indexOf(name)] ?? '').trim();
    const username = at('user login');
    if (!USERNAME.test(username)) {
      problems.push(`line ${line}: user login must be 1-64 characters of letters, digits and _-.@`);
      continue;
    }
    const first = firstLineOf.get(username.toLowerCase());
    if (first !== undefined) {
      problems.push(`line ${line}: same user login as line ${first}`);
      continue;
    }
    firstLineOf.set(username.toLowerCase(), line);
    // security_profile_name_1|security_profile_name_2: the profiles decide the Identity Center groups.
    const profiles = at('security_profile_name_1|security_profile_name_2').split('|').map((n) => n.trim()).filter(Boolean);
    const unknown = profiles.filter((name) => !instance.securityProfiles.includes(name));
    const routingProfile = at('routing profile name');
    const phone = phoneOf(at);
    const rowProblem =
      profiles.length === 0 || profiles.length > 10 ? 'a user has 1 to 10 security profiles'
      : unknown.length > 0 ? `the instance has no security profile named ${unknown.join(', ')} (it has ${instance.securityProfiles.join(', ')})`
      : !instance.routingProfiles.includes(routingProfile) ? `the instance has no routing profile named "${routingProfile}" (it has ${instance.routingProfiles.join(', ')})`
      : 'problem' in phone ? phone.problem
      : undefined;
    if (rowProblem || 'problem' in phone) {
      problems.push(`line ${line}: ${rowProblem}`);
      continue;
    }
    // Only the Connect-managed template has an email (and a password): the SAML one's user login is the email.
    const email = template === MANAGED_HEADER ? at('email address') : '';
    const password = template === MANAGED_HEADER ? at('password') : '';
    agents.push({
      username,
      identity: { FirstName: at('first name') || undefined, LastName: at('last name') || undefined, ...(email && { Email: email }) },
      ...(password && { password }),
      ...phone,
      securityProfiles: profiles,
      routingProfile,
    });
  }
  if (problems.length > 0) throw rowsError(problems);
  return agents;
}
