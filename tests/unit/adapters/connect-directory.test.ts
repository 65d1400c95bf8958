import {
  ConnectClient,
  DescribeUserCommand,
  ListSecurityProfilesCommand,
  ResourceNotFoundException,
  SearchUsersCommand,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { connectDirectoryAdapter } from '../../../shared/adapters/connect-directory.js';
import { rejection } from '../../support/core.js';

const meta = { $metadata: {} };
const mock = mockClient(ConnectClient);
let paced = 0;
const connect = connectDirectoryAdapter(new ConnectClient({ region: 'us-east-1', maxAttempts: 1 }), async () => {
  paced += 1;
});

beforeEach(() => {
  mock.reset();
  paced = 0;
});

describe('connect directory adapter', () => {
  it('maps DescribeUser to a ConnectUser with its security profile ids, pacing the call', async () => {
    mock.on(DescribeUserCommand).resolves({
      User: {
        Id: 'c-1',
        Username: 'agent',
        IdentityInfo: { FirstName: 'A', LastName: 'B', Email: 'a@example.com', SecondaryEmail: 's@example.com' },
        SecurityProfileIds: ['sp-agent', 'sp-manager'],
      },
    });

    expect(await connect.describeUser('i-1', 'c-1')).toEqual({
      id: 'c-1',
      username: 'agent',
      firstName: 'A',
      lastName: 'B',
      email: 'a@example.com',
      secondaryEmail: 's@example.com',
      securityProfileIds: ['sp-agent', 'sp-manager'],
    });
    expect(mock.commandCalls(DescribeUserCommand)[0]?.args[0].input).toEqual({ InstanceId: 'i-1', UserId: 'c-1' });
    expect(paced).toBe(1);
  });

  it('gives a user without SecurityProfileIds an empty list', async () => {
    mock.on(DescribeUserCommand).resolves({ User: { Id: 'c-1', Username: 'agent' } });

    expect((await connect.describeUser('i-1', 'c-1'))?.securityProfileIds).toEqual([]);
  });

  it('answers undefined for a user that does not exist', async () => {
    mock.on(DescribeUserCommand).rejects(new ResourceNotFoundException({ message: 'gone', ...meta }));

    expect(await connect.describeUser('i-1', 'c-1')).toBeUndefined();
  });

  it('finds the user with exactly this Username before one equal but for case, and never the first of several', async () => {
    mock
      .on(SearchUsersCommand)
      .resolvesOnce({ Users: [{ Id: 'c-lower', Username: 'ana@example.com' }, { Id: 'c-exact', Username: 'Ana@example.com' }] })
      .resolvesOnce({ Users: [{ Id: 'c-lower', Username: 'ana@example.com' }, { Id: 'c-upper', Username: 'ANA@example.com' }] });

    expect(await connect.findUserIdByUsername('i-1', 'Ana@example.com')).toBe('c-exact');
    expect(await connect.findUserIdByUsername('i-1', 'Ana@example.com')).toBeUndefined();
  });

  it('finds a user id by exact Username with SearchUsers, ignoring case when only one matches', async () => {
    mock.on(SearchUsersCommand).resolves({ Users: [{ Id: 'c-6', Username: 'agent@example.com.au' }, { Id: 'c-7', Username: 'Agent@Example.com' }] });

    expect(await connect.findUserIdByUsername('i-1', 'agent@example.com')).toBe('c-7');
    expect(mock.commandCalls(SearchUsersCommand)[0]?.args[0].input.SearchCriteria).toEqual({
      StringCondition: { FieldName: 'Username', Value: 'agent@example.com', ComparisonType: 'EXACT' },
    });
  });

  it('lists every security profile across pages, pacing each page', async () => {
    mock
      .on(ListSecurityProfilesCommand)
      .resolvesOnce({ SecurityProfileSummaryList: [{ Id: 'sp-1', Name: 'Agent' }, { Id: 'sp-x' }], NextToken: 'next' })
      .resolvesOnce({ SecurityProfileSummaryList: [{ Id: 'sp-2', Name: 'CallCenterManager' }] });

    const profiles = await connect.listSecurityProfiles('i-1');

    expect(profiles).toEqual([
      { id: 'sp-1', name: 'Agent' },
      { id: 'sp-2', name: 'CallCenterManager' },
    ]);
    expect(mock.commandCalls(ListSecurityProfilesCommand).map((c) => c.args[0].input)).toEqual([
      { InstanceId: 'i-1', MaxResults: 1000, NextToken: undefined },
      { InstanceId: 'i-1', MaxResults: 1000, NextToken: 'next' },
    ]);
    expect(paced).toBe(2);
  });

  it('classifies a 429 as retryable throttling', async () => {
    mock.on(DescribeUserCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', ...meta }));

    const error = await rejection(connect.describeUser('i-1', 'c-1'));

    expect([error.code, error.retryable]).toEqual(['THROTTLED', true]);
  });
});
