import { IdentitystoreClient, ListGroupMembershipsCommand } from '@aws-sdk/client-identitystore';
import { mockClient } from 'aws-sdk-client-mock';
import { groupMembersAdapter } from '../../../shared/adapters/identity-directory.js';

const STORE = 'd-1234567890';
const mock = mockClient(IdentitystoreClient);
const members = groupMembersAdapter(new IdentitystoreClient({ region: 'us-east-1', maxAttempts: 1 }), STORE);

beforeEach(() => mock.reset());

describe('group members adapter', () => {
  it('lists every page of a group with each user member\'s MembershipId, and the member ids alone', async () => {
    mock
      .on(ListGroupMembershipsCommand, { GroupId: 'g-1', NextToken: undefined })
      .resolves({ GroupMemberships: [{ IdentityStoreId: STORE, MembershipId: 'm-1', MemberId: { UserId: 'u-1' } }], NextToken: 'p2' })
      .on(ListGroupMembershipsCommand, { GroupId: 'g-1', NextToken: 'p2' })
      .resolves({ GroupMemberships: [{ IdentityStoreId: STORE, MembershipId: 'm-2', MemberId: { UserId: 'u-2' } }, { IdentityStoreId: STORE, MemberId: { UserId: 'u-3' } }] });

    expect(await members.membershipIds?.('g-1')).toEqual(new Map([['u-1', 'm-1'], ['u-2', 'm-2'], ['u-3', '']]));
    expect(await members.memberIds('g-1')).toEqual(new Set(['u-1', 'u-2', 'u-3']));
    expect(mock.commandCalls(ListGroupMembershipsCommand)[0]?.args[0].input).toMatchObject({ IdentityStoreId: STORE, GroupId: 'g-1', MaxResults: 100 });
  });
});
