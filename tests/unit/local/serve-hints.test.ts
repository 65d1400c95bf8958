import { awsExamples } from '../../../local/serve-hints.js';

describe('the aws examples npm start -- --serve prints', () => {
  it('every aws command names the emulator with --endpoint-url (AWS CLI v1 reads no AWS_ENDPOINT_URL_* variable)', () => {
    const endpoint = 'http://127.0.0.1:4566';

    const lines = awsExamples({
      endpoint,
      instanceId: '4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20',
      identityStoreId: 'd-1234567890',
      syncDlqUrl: 'http://127.0.0.1:4566/000000000000/connect-sso-sync-local-sync-dlq',
      agentProfileId: 'p-agent',
      routingProfileId: 'r-basic',
    });

    const commands = lines.filter((line) => line.startsWith('aws '));
    expect(commands.map((line) => line.split(' ').slice(3, 5).join(' '))).toEqual(['connect create-user', 'identitystore list-users', 'sqs get-queue-attributes']);
    for (const command of commands) expect(command.startsWith(`aws --endpoint-url ${endpoint} `)).toBe(true);
    expect(lines.join('\n')).toContain('--security-profile-ids p-agent --routing-profile-id r-basic');
  });
});
