import { CsvError, MAX_REPORTED, readBulkUpload } from '../../../local/bulk-upload.js';

const SAML = 'first name,last name,user login,routing profile name,security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number,soft phone auto accept (yes/no),ACW timeout (seconds)';
const MANAGED = 'first name,last name,email address,password,user login,routing profile name,security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number,soft phone auto accept (yes/no),acw timeout (seconds)';
const row = (login: string) => `A,B,${login},Basic Routing Profile,Agent,soft,,no,30`;

function errorOf(text: string): CsvError {
  try {
    readBulkUpload(text);
  } catch (error) {
    if (error instanceof CsvError) return error;
    throw error;
  }
  throw new Error('expected a CsvError');
}

describe('readBulkUpload', () => {
  it('reads both templates', () => {
    const saml = readBulkUpload([SAML, row('aisha.khan@example.com'), 'C,D,desk.agent,Basic Routing Profile,Agent,desk,+12065550100,yes,45'].join('\n'));
    const managed = readBulkUpload([MANAGED, 'E,F,e.f@example.com,Secret1!,ef,Basic Routing Profile,Agent,SOFT_PHONE,,no,0'].join('\r\n'));

    expect(saml.map((a) => [a.username, a.phoneType])).toEqual([['aisha.khan@example.com', 'SOFT_PHONE'], ['desk.agent', 'DESK_PHONE']]);
    expect(saml[1]).toMatchObject({ deskPhoneNumber: '+12065550100', autoAccept: true, afterContactWorkSeconds: 45, routingProfile: 'Basic Routing Profile', securityProfiles: ['Agent'] });
    expect(managed[0]).toMatchObject({ username: 'ef', identity: { FirstName: 'E', LastName: 'F', Email: 'e.f@example.com' }, password: 'Secret1!' });
    // The SAML template has no email column: its user login is the email, and no Email is sent (SAML refuses it).
    expect(saml[0]?.identity).toEqual({ FirstName: 'A', LastName: 'B' });
    expect(saml[0]).not.toHaveProperty('password');
  });

  it('refuses the other instance type\'s template when it is told the instance\'s type', () => {
    const managed = [MANAGED, 'E,F,e.f@example.com,Secret1!,ef,Basic Routing Profile,Agent,SOFT_PHONE,,no,0'].join('\n');
    const saml = [SAML, row('aisha.khan@example.com')].join('\n');
    const profiles = { securityProfiles: ['Agent'], routingProfiles: ['Basic Routing Profile'] };

    expect(() => readBulkUpload(managed, { ...profiles, identityManagementType: 'SAML' })).toThrow(/Connect-managed template .* the instance is SAML, where Connect refuses an email/);
    expect(() => readBulkUpload(saml, { ...profiles, identityManagementType: 'CONNECT_MANAGED' })).toThrow(/the SAML template; the instance is Connect-managed/);
    expect(readBulkUpload(saml, { ...profiles, identityManagementType: 'SAML' })).toHaveLength(1);
    expect(readBulkUpload(managed, { ...profiles, identityManagementType: 'CONNECT_MANAGED' })).toHaveLength(1);
  });

  it('reports every bad row with its line, not only the first', () => {
    const text = [SAML, row('ok.one'), row('has space'), 'too,few,fields', row('ok.two'), row('OK.ONE'), row('')].join('\n');

    const error = errorOf(text);

    expect(error.problems).toEqual([
      'line 3: user login must be 1-64 characters of letters, digits and _-.@',
      'line 4: 3 fields, the template has 9',
      'line 6: same user login as line 2',
      'line 7: user login must be 1-64 characters of letters, digits and _-.@',
    ]);
    expect(error.message).toBe(`4 bad row(s):\n${error.problems.map((p) => `  ${p}`).join('\n')}`);
  });

  it(`shows the first ${MAX_REPORTED} bad rows, then how many more`, () => {
    const bad = Array.from({ length: MAX_REPORTED + 7 }, (_, i) => row(`bad login ${i}`));

    const error = errorOf([SAML, ...bad].join('\n'));

    const lines = error.message.split('\n');
    expect(error.problems).toHaveLength(MAX_REPORTED + 7);
    expect(lines[0]).toBe(`${MAX_REPORTED + 7} bad row(s):`);
    expect(lines).toHaveLength(1 + MAX_REPORTED + 1);
    expect(lines[MAX_REPORTED]).toBe(`  line ${MAX_REPORTED + 1}: user login must be 1-64 characters of letters, digits and _-.@`);
    expect(lines.at(-1)).toBe('  ... and 7 more');
  });

  it('names both templates, each with its header line, when the header is neither', () => {
    const error = errorOf(['first name,last name,email', 'A,B,a@example.com'].join('\n'));

    expect(error.message).toContain('line 1: not an Amazon Connect bulk-upload header');
    expect(error.message).toContain(`  SAML instance:            ${SAML.toLowerCase()}`);
    expect(error.message).toContain(`  Connect-managed instance: ${MANAGED}`);
  });
});

describe('rows Connect would refuse are bad rows, listed with the others', () => {
  it('a security or routing profile the instance does not have, and phone settings out of Connect\'s rules', () => {
    const text = [
      SAML,
      'A,B,ok.one,Basic Routing Profile,Agent,soft,,no,30',
      'A,B,sup.one,Basic Routing Profile,Agent|Supervisor,soft,,no,30',
      'A,B,rp.one,Sales Routing,Agent,soft,,no,30',
      'A,B,phone.one,Basic Routing Profile,Agent,cell,,no,30',
      'A,B,desk.one,Basic Routing Profile,Agent,desk,,no,30',
      'A,B,desk.two,Basic Routing Profile,Agent,desk,2065550100,no,30',
      'A,B,acw.one,Basic Routing Profile,Agent,soft,,no,-5',
      'A,B,acw.two,Basic Routing Profile,Agent,soft,,no,ten',
      'A,B,auto.one,Basic Routing Profile,Agent,soft,,maybe,30',
      'A,B,none.one,Basic Routing Profile,,soft,,no,30',
    ].join('\n');

    const error = errorOf(text);

    expect(error.problems).toEqual([
      'line 3: the instance has no security profile named Supervisor (it has Admin, Agent, CallCenterManager, QualityAnalyst)',
      'line 4: the instance has no routing profile named "Sales Routing" (it has Basic Routing Profile)',
      'line 5: phone type must be soft or desk (or SOFT_PHONE, DESK_PHONE)',
      'line 6: a desk phone needs a phone number',
      'line 7: phone number must be in E.164 form, e.g. +12065550100',
      'line 8: ACW timeout must be a whole number of seconds, 0 to 2000000',
      'line 9: ACW timeout must be a whole number of seconds, 0 to 2000000',
      'line 10: soft phone auto accept must be yes or no',
      'line 11: a user has 1 to 10 security profiles',
    ]);
  });

  it('takes the profiles of the instance it is given', () => {
    const agents = readBulkUpload([SAML, 'A,B,sup.one,Sales,Supervisor,soft,,no,30'].join('\n'), { securityProfiles: ['Supervisor'], routingProfiles: ['Sales'] });

    expect(agents[0]).toMatchObject({ securityProfiles: ['Supervisor'], routingProfile: 'Sales' });
  });
});
