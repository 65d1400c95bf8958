/**
 * What `npm start -- --serve` prints when it hands over: the `aws` commands to try against the emulator. Every one
 * carries `--endpoint-url`: AWS CLI v1 reads no AWS_ENDPOINT_URL_<SERVICE> variable, and without it a command would
 * reach the real AWS (the README promises they all do).
 */
export interface ServeHintsInput {
  endpoint: string;
  instanceId: string;
  identityStoreId: string;
  syncDlqUrl: string;
  /** The id of the security profile the admin website gives a new agent (ids are generated per instance). */
  agentProfileId: string;
  routingProfileId: string;
}

export function awsExamples(x: ServeHintsInput): string[] {
  const aws = `aws --endpoint-url ${x.endpoint}`;
  return [
    `${aws} connect create-user --instance-id ${x.instanceId} --username new.agent@example.com \\`,
    '    --identity-info FirstName=New,LastName=Agent --phone-config PhoneType=SOFT_PHONE \\',
    `    --security-profile-ids ${x.agentProfileId} --routing-profile-id ${x.routingProfileId}`,
    `${aws} identitystore list-users --identity-store-id ${x.identityStoreId}`,
    `${aws} sqs get-queue-attributes --queue-url ${x.syncDlqUrl} --attribute-names All`,
  ];
}
