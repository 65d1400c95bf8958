import { ConnectClient, ListUsersCommand, SearchUsersCommand } from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { connectUserLister } from '../../../shared/adapters/connect-users.js';

const mock = mockClient(ConnectClient);
const log: string[] = [];
const lister = connectUserLister(new ConnectClient({ region: 'us-east-1', maxAttempts: 1 }), async () => {
  log.push('pace');
});

beforeEach(() => {
  mock.reset();
  log.length = 0;
});

describe('connect user lister', () => {
  it('streams ListUsers pages, pacing before each and fetching the next only when asked', async () => {
    const modified = new Date('2024-05-01T10:00:00Z');
    mock
      .on(ListUsersCommand, { NextToken: undefined })
      .callsFake(() => (log.push('ListUsers 1'), { UserSummaryList: [{ Id: 'c-1', Username: 'a', LastModifiedTime: modified }], NextToken: 'p2' }))
      .on(ListUsersCommand, { NextToken: 'p2' })
      .callsFake(() => (log.push('ListUsers 2'), { UserSummaryList: [{ Id: 'c-2', Username: 'b' }, { Username: 'no id' }] }));

    const pages = [];
    for await (const page of lister.pages('i-1', { withProfiles: false })) {
      log.push(`page of ${page.length}`);
      pages.push(page);
    }

    expect(pages).toEqual([[{ id: 'c-1', username: 'a', lastModifiedTime: modified.toISOString() }], [{ id: 'c-2', username: 'b' }]]);
    expect(log).toEqual(['pace', 'ListUsers 1', 'page of 1', 'pace', 'ListUsers 2', 'page of 1']);
    expect(mock.commandCalls(ListUsersCommand)[0]?.args[0].input).toEqual({ InstanceId: 'i-1', MaxResults: 1000, NextToken: undefined });
  });

  it('with profiles, reads SearchUsers (500 a page) and stops reading when the caller stops', async () => {
    mock
      .on(SearchUsersCommand)
      .resolves({ Users: [{ Id: 'c-1', Username: 'a', SecurityProfileIds: ['sp-1'] }], NextToken: 'more' });

    for await (const page of lister.pages('i-1', { withProfiles: true })) {
      expect(page).toEqual([{ id: 'c-1', username: 'a', securityProfileIds: ['sp-1'] }]);
      break;
    }

    expect(mock.commandCalls(SearchUsersCommand).map((c) => c.args[0].input)).toEqual([{ InstanceId: 'i-1', MaxResults: 500, NextToken: undefined }]);
    expect(log).toEqual(['pace']);
  });

  it('fails a page with the classified error (THROTTLED), after the pages before it', async () => {
    mock
      .on(ListUsersCommand, { NextToken: undefined })
      .resolves({ UserSummaryList: [{ Id: 'c-1', Username: 'a' }], NextToken: 'p2' })
      .on(ListUsersCommand, { NextToken: 'p2' })
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} }));

    const seen: string[] = [];
    const run = (async () => {
      for await (const page of lister.pages('i-1', { withProfiles: false })) seen.push(...page.map((u) => u.id));
    })();

    await expect(run).rejects.toMatchObject({ code: 'THROTTLED', retryable: true });
    expect(seen).toEqual(['c-1']);
  });
});
