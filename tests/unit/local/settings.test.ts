/** npm start's settings: the modes come from the environment (checked as the function checks them), and --serve exports every setting. */
import { loadSyncSettings } from '../../../shared/config/config.js';
import { ConfigError, exportLines, localSettings, settingsLines, shellWord } from '../../../local/settings.js';

const MAPPING = JSON.stringify({ Agent: 'ConnectAgents', CallCenterManager: ['ConnectAgents', 'ConnectSupervisors'] });

describe('the settings npm start runs with', () => {
  it('honours the modes set in the environment and says which ones came from there', () => {
    const s = localSettings({ DEPROVISION: 'delete', GROUP_MAPPING: '{"Agent":"Agents"}', CREATE_USERS: '' }, { GROUP_MAPPING: MAPPING });

    expect(s.syncEnv).toMatchObject({ DEPROVISION: 'delete', GROUP_MAPPING: '{"Agent":"Agents"}', CREATE_USERS: 'true', ASSIGNMENT_MODE: 'group' });
    expect(s.fromEnvironment).toEqual(['GROUP_MAPPING', 'DEPROVISION']);
    expect(settingsLines(s)).toContain('  DEPROVISION=delete   (from the environment)');
    expect(settingsLines(s)).toContain('  CREATE_USERS=true');
  });

  it('uses the demo\'s role mapping when the environment sets none', () => {
    expect(localSettings({}, { GROUP_MAPPING: MAPPING }).syncEnv.GROUP_MAPPING).toBe(MAPPING);
  });

  it('refuses an invalid mode with the function\'s own one-line message', () => {
    expect(() => localSettings({ DEPROVISION: 'remove', ASSIGNMENT_MODE: 'groups' }, {})).toThrow(ConfigError);
    expect(() => localSettings({ DEPROVISION: 'remove' }, {})).toThrow('invalid configuration: DEPROVISION must be membership, delete or none');
    expect(() => localSettings({ GROUP_MAPPING: '{not json' }, {})).toThrow(/^invalid configuration: GROUP_MAPPING/);
  });

  it('names the resource settings it does not use (the emulator creates its own)', () => {
    const s = localSettings({ IDENTITY_STORE_ID: 'd-1234567890', LINKS_TABLE: 'x', MANAGED_GROUP_IDS: '' }, {});

    expect(s.ignored).toEqual(['IDENTITY_STORE_ID', 'LINKS_TABLE']);
    expect(settingsLines(s).at(-1)).toBe('  not used (the emulator creates its own): IDENTITY_STORE_ID, LINKS_TABLE');
  });
});

describe('the --serve exports', () => {
  /** What a POSIX shell makes of `export NAME=word` for the words shellWord writes. */
  const shell = (lines: string[]) =>
    Object.fromEntries(lines.map((line) => {
      const [, name, word] = /^export ([A-Z_0-9]+)=(.*)$/.exec(line) ?? [];
      const value = word?.startsWith("'") ? word.slice(1, -1).replace(/'\\''/g, "'") : word;
      return [name, value];
    }));

  it('carry every setting the function runs with, so the operator commands see the same configuration', () => {
    const pipelineEnv = {
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4566', IDENTITY_STORE_ID: 'd-1234567890', CONNECT_INSTANCE_ID: '00000000-0000-4000-8000-000000000001',
      SSO_INSTANCE_ARN: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
      CONNECT_APPLICATION_ARN: 'arn:aws:sso::123456789012:application/ssoins-1234567890abcdef/apl-1234567890abcdef',
      GROUP_MAPPING: MAPPING, PROTECTED_GROUPS: "Admins,O'Brien's team", DEPROVISION: 'delete', STAGE: 'local', POWERTOOLS_SERVICE_NAME: 'connect-sso-sync',
    };

    const exported = shell(exportLines(pipelineEnv));

    expect(exported.POWERTOOLS_SERVICE_NAME).toBeUndefined();
    expect(exported.GROUP_MAPPING).toBe(MAPPING);
    expect(loadSyncSettings(exported)).toEqual(loadSyncSettings(pipelineEnv));
    expect(exportLines(pipelineEnv)).toContain(`export GROUP_MAPPING='${MAPPING}'`);
  });

  it('quote only what the shell would split or expand', () => {
    expect(shellWord('http://127.0.0.1:4566/123/q')).toBe('http://127.0.0.1:4566/123/q');
    expect(shellWord('a b')).toBe("'a b'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
  });
});
