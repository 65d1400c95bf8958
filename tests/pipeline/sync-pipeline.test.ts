/**
 * End to end on the local emulator: the admin creates users through the real Connect API, the emulator emits
 * the CloudTrail event, the serverless.yml rule routes it to the sync queue, and the poller runs the real
 * syncUser handler, whose real SDK clients talk HTTP to the emulator.
 */
import { CONNECT_MANAGED, createConnectUser, deadLetters, errorCodes, identityCenter, person, pipelinesFor } from '../support/pipeline.js';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

// Whether Identity Center lookups and uniqueness ignore case (and Connect's EXACT search does) is not documented:
// the sync must be right under both.
describe.each(['insensitive', 'sensitive'] as const)('lookups %s to case', (lookupCase) => {
  const pipeline = pipelinesFor(lookupCase);

  describe('a Connect user created by the administrator', () => {
    it('exists in Identity Center, in ConnectAgents, and the group is assigned to the application', async () => {
      const p = await pipeline();

      await createConnectUser(p, 'maria.garcia@example.com', person('Maria', 'Garcia'));
      await p.drain();

      const ic = identityCenter(p);
      expect(ic.users).toEqual([
        expect.objectContaining({
          UserName: 'maria.garcia@example.com',
          DisplayName: 'Maria Garcia',
          Name: expect.objectContaining({ GivenName: 'Maria', FamilyName: 'Garcia' }),
          Emails: [expect.objectContaining({ Value: 'maria.garcia@example.com', Primary: true })],
        }),
      ]);
      expect(ic.agents).toEqual(['maria.garcia@example.com']);
      expect(ic.assignments).toEqual([{ PrincipalId: ic.memberships[0]?.GroupId, PrincipalType: 'GROUP' }]);
      expect(deadLetters(p)).toEqual([]);
    });

    // A Connect Email that differs from the Username exists on CONNECT_MANAGED instances only (SAML refuses Email).
    it('links the person who already exists in Identity Center with that email instead of creating a second one (CONNECT_MANAGED)', async () => {
      const p = await pipeline({
        ...CONNECT_MANAGED,
        identityCenter: { users: [{ userName: 'jdoe', email: 'john.doe@example.com' }], groups: [{ displayName: 'ConnectAgents' }] },
      });

      await createConnectUser(p, 'john.doe', person('John', 'Doe', 'john.doe@example.com'));
      await p.drain();

      expect(identityCenter(p).userNames).toEqual(['jdoe']);
      expect(identityCenter(p).agents).toEqual(['jdoe']);
    });

    it('reads the user with DescribeUser when the event has an encoded ARN, no response elements and redacted identity', async () => {
      const p = await pipeline({ ...CONNECT_MANAGED, emulator: { events: { instanceIdStyle: 'encoded-arn', omitResponseElements: true, redactIdentityInfo: true } } });

      await createConnectUser(p, 'li.wei', person('Li', 'Wei', 'li.wei@example.com'));
      await p.drain();

      expect(identityCenter(p).users).toEqual([expect.objectContaining({ UserName: 'li.wei', DisplayName: 'Li Wei' })]);
    });

    it('SAML: keys on the Username only (never SecondaryEmail), keeps its case, and dead-letters a Username that is no address (NO_EMAIL) or no RoleSessionName (SIGN_IN_NAME_INVALID)', async () => {
      const p = await pipeline();

      await createConnectUser(p, 'agent_1', { FirstName: 'Ana', LastName: 'Silva', SecondaryEmail: 'ana.silva@example.com' });
      await createConnectUser(p, 'Sam.Okafor@Example.com', { FirstName: 'Sam', LastName: 'Okafor', SecondaryEmail: 'team@example.com' });
      // Connect allows 1-64 of [a-zA-Z0-9_-.@]; a RoleSessionName needs at least 2 characters.
      await createConnectUser(p, 'x', { FirstName: 'Pat', LastName: 'X' });
      await p.drain();

      expect(identityCenter(p).users.map((u) => [u.UserName, (u.Emails as { Value: string }[])[0]?.Value])).toEqual([['Sam.Okafor@Example.com', 'Sam.Okafor@Example.com']]);
      expect(errorCodes(deadLetters(p)).sort()).toEqual(['NO_EMAIL', 'SIGN_IN_NAME_INVALID']);
      expect(JSON.parse(deadLetters(p)[0]?.body ?? '{}')).toMatchObject({ source: 'aws.connect', detail: { eventName: 'CreateUser' } });
    });

    it('CONNECT_MANAGED: uses SecondaryEmail, then a Username that is an address, and dead-letters a user with neither as NO_EMAIL', async () => {
      const p = await pipeline(CONNECT_MANAGED);

      await createConnectUser(p, 'agent_1', { FirstName: 'Ana', LastName: 'Silva', SecondaryEmail: 'ana.silva@example.com' });
      await createConnectUser(p, 'sam@example.com', { FirstName: 'Sam', LastName: 'Okafor' });
      await createConnectUser(p, 'agent_3', { FirstName: 'No', LastName: 'Email' });
      await p.drain();

      const emails = identityCenter(p).users.map((u) => (u.Emails as { Value: string }[])[0]?.Value).sort();
      expect(emails).toEqual(['ana.silva@example.com', 'sam@example.com']);
      expect(errorCodes(deadLetters(p))).toEqual(['NO_EMAIL']);
    });

    it('dead-letters AMBIGUOUS_MATCH and changes nothing when email and Username point at different people (CONNECT_MANAGED)', async () => {
      const p = await pipeline({
        ...CONNECT_MANAGED,
        identityCenter: { users: [{ userName: 'someone', email: 'pat@example.com' }, { userName: 'pat', email: 'other@example.com' }] },
      });

      await createConnectUser(p, 'pat', person('Pat', 'Lee', 'pat@example.com'));
      await p.drain();

      expect(errorCodes(deadLetters(p))).toEqual(['AMBIGUOUS_MATCH']);
      expect(identityCenter(p).memberships).toEqual([]);
    });

    it('ignores users of another Connect instance of the account', async () => {
      const p = await pipeline();
      const other = p.emulator.seed({ connectInstances: [{ alias: 'other', identityManagementType: 'SAML' }] }).connectInstances[0];

      await createConnectUser(p, 'x@example.com', person('X', 'Y'), other?.id);
      await p.drain();

      expect(identityCenter(p).users).toEqual([]);
      expect(deadLetters(p)).toEqual([]);
      expect(p.poller.stats.succeeded).toBe(1);
    });
  });

  describe('configuration variants', () => {
    it('with CREATE_USERS=false links existing people and dead-letters the rest as USER_NOT_FOUND', async () => {
      const p = await pipeline({ syncEnv: { CREATE_USERS: 'false' }, identityCenter: { users: [{ userName: 'kim@example.com', email: 'kim@example.com' }] } });

      await createConnectUser(p, 'kim@example.com', person('Kim', 'Park'));
      await createConnectUser(p, 'new@example.com', person('New', 'Person'));
      await p.drain();

      expect(identityCenter(p).agents).toEqual(['kim@example.com']);
      expect(errorCodes(deadLetters(p))).toEqual(['USER_NOT_FOUND']);
    });

    it('with ASSIGNMENT_MODE=user assigns each user, not the group', async () => {
      const p = await pipeline({ syncEnv: { ASSIGNMENT_MODE: 'user' } });

      await createConnectUser(p, 'a@example.com', person('A', 'A'));
      await p.drain();

      const ic = identityCenter(p);
      expect(ic.assignments).toEqual([{ PrincipalId: ic.users[0]?.UserId, PrincipalType: 'USER' }]);
    });

    it('dead-letters ASSIGNMENT_UNSUPPORTED with the fix when the application takes no API assignments', async () => {
      const p = await pipeline({ applicationSupportsApiAssignments: false });

      await createConnectUser(p, 'b@example.com', person('B', 'B'));
      await p.drain();

      const [message] = deadLetters(p);
      expect(message?.messageAttributes.errorCode?.StringValue).toBe('ASSIGNMENT_UNSUPPORTED');
      expect(message?.messageAttributes.errorMessage?.StringValue).toMatch(/set ASSIGNMENT_MODE=none/);
    });

    it('with ASSIGNMENT_MODE=none only manages membership', async () => {
      const p = await pipeline({ applicationSupportsApiAssignments: false, syncEnv: { ASSIGNMENT_MODE: 'none' } });

      await createConnectUser(p, 'c@example.com', person('C', 'C'));
      await p.drain();

      expect(identityCenter(p).agents).toEqual(['c@example.com']);
      expect(p.emulator.counters.get('sso-admin:CreateApplicationAssignment').total).toBe(0);
    });

    it('assumes IDENTITY_CENTER_ROLE_ARN, sending IDENTITY_CENTER_EXTERNAL_ID, for the Identity Center clients', async () => {
      const roleArn = 'arn:aws:iam::999999999999:role/ConnectSsoSyncIdentityCenter';
      const p = await pipeline({ syncEnv: { IDENTITY_CENTER_ROLE_ARN: roleArn, IDENTITY_CENTER_EXTERNAL_ID: 'connect-sso-sync-prod' } });

      await createConnectUser(p, 'd@example.com', person('D', 'D'));
      await p.drain();

      expect(identityCenter(p).agents).toEqual(['d@example.com']);
      expect(p.emulator.state.assumedRoles().map((r) => [r.roleArn, r.externalId])).toContainEqual([roleArn, 'connect-sso-sync-prod']);
    });
  });

  describe('delivery semantics', () => {
    it('ends duplicate deliveries of every event in one user and one membership each', async () => {
      const p = await pipeline({ duplicateRate: 1 });

      await Promise.all(['e1', 'e2', 'e3'].map((n) => createConnectUser(p, `${n}@example.com`, person(n, n))));
      await p.drain();

      expect(p.bus.stats.delivered).toBe(3);
      expect(p.poller.stats.records).toBeGreaterThanOrEqual(6);
      expect(identityCenter(p).userNames).toEqual(['e1@example.com', 'e2@example.com', 'e3@example.com']);
      expect(identityCenter(p).memberships).toHaveLength(3);
    });

    it('retries transient failures, then dead-letters the record itself on its last receive, with the last error as reason', async () => {
      const p = await pipeline({ maxReceiveCount: 2, emulator: { faults: { operations: { 'identitystore:CreateUser': { errorRate: 1 } } } } });

      await createConnectUser(p, 'f@example.com', person('F', 'F'));
      await p.drain();

      expect(errorCodes(deadLetters(p))).toEqual(['SERVICE_ERROR']);
      expect(deadLetters(p)[0]?.messageAttributes.errorMessage?.StringValue).toMatch(/^gave up after 2 receives; last error: identitystore:CreateUser failed/);
      expect(identityCenter(p).users).toEqual([]);
    });
  });

  describe('linking never reaches an identity it should not', () => {
    it('does not link a user name match whose email differs (USERNAME_TAKEN), and writes nothing (CONNECT_MANAGED)', async () => {
      const p = await pipeline({ ...CONNECT_MANAGED, identityCenter: { users: [{ userName: 'admin', email: 'it-admin@example.com' }], groups: [{ displayName: 'ConnectAgents' }] } });

      await createConnectUser(p, 'admin', person('Mal', 'Lory', 'mallory@example.net'));
      await p.drain();

      expect(errorCodes(deadLetters(p))).toEqual(['USERNAME_TAKEN']);
      expect(identityCenter(p).memberships).toEqual([]);
      expect(identityCenter(p).userNames).toEqual(['admin']);
    });

    it('links one identity to one Connect user: the second user with the same email is IDENTITY_ALREADY_LINKED (CONNECT_MANAGED)', async () => {
      const p = await pipeline(CONNECT_MANAGED);

      await createConnectUser(p, 'first', person('Sam', 'One', 'sam@example.com'));
      await p.drain();
      await createConnectUser(p, 'second', person('Sam', 'Two', 'sam@example.com'));
      await p.drain();

      expect(identityCenter(p).userNames).toEqual(['first']);
      expect(errorCodes(deadLetters(p))).toEqual(['IDENTITY_ALREADY_LINKED']);
    });

    it('never links a member of a protected group (PROTECTED_IDENTITY), nor adds it to a group', async () => {
      const p = await pipeline({
        syncEnv: { PROTECTED_GROUPS: 'IdentityCenterAdmins' },
        identityCenter: { users: [{ userName: 'root-admin', email: 'boss@example.com' }], groups: [{ displayName: 'IdentityCenterAdmins', members: ['root-admin'] }] },
      });

      await createConnectUser(p, 'boss@example.com', person('The', 'Boss'));
      await p.drain();

      expect(errorCodes(deadLetters(p))).toEqual(['PROTECTED_IDENTITY']);
      expect(identityCenter(p).memberships.map((m) => m.groupName)).toEqual(['IdentityCenterAdmins']);
    });
  });
});
