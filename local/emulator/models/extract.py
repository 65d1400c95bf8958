#!/usr/bin/env python3
"""Regenerates aws-models.json from botocore's service models (Apache-2.0) and the installed AWS SDK's schemas.

Keeps, for the operations the emulator implements, only what validation and error rendering need: the input shapes
(required, type, lengths, patterns, ranges, enums, list/map sizes, unions, HTTP bindings) and each operation's modelled
errors with their HTTP status. botocore drops the Smithy `httpError` and `awsQueryError` traits of JSON services' errors,
so those come from the installed @aws-sdk/client-* packages' schemas (generated from the same Smithy models).
No documentation text. Run after `npm ci`: python3 local/emulator/models/extract.py
"""
import gzip
import json
import os
import re

import botocore

OPERATIONS = {
    'connect': ['CreateUser', 'DescribeUser', 'DeleteUser', 'UpdateUserIdentityInfo', 'UpdateUserSecurityProfiles',
                'ListUsers', 'SearchUsers', 'ListSecurityProfiles', 'ListRoutingProfiles', 'DescribeInstance'],
    'identitystore': ['CreateUser', 'DescribeUser', 'UpdateUser', 'DeleteUser', 'GetUserId', 'ListUsers',
                      'CreateGroup', 'DescribeGroup', 'UpdateGroup', 'DeleteGroup', 'GetGroupId', 'ListGroups',
                      'CreateGroupMembership', 'DescribeGroupMembership', 'DeleteGroupMembership',
                      'GetGroupMembershipId', 'IsMemberInGroups', 'ListGroupMemberships',
                      'ListGroupMembershipsForMember'],
    'sso-admin': ['ListInstances', 'ListApplications', 'DescribeApplication', 'CreateApplicationAssignment',
                  'DescribeApplicationAssignment', 'DeleteApplicationAssignment', 'ListApplicationAssignments',
                  'ListApplicationAssignmentsForPrincipal', 'ListAccountAssignmentsForPrincipal'],
    'sqs': ['CreateQueue', 'GetQueueUrl', 'ListQueues', 'DeleteQueue', 'GetQueueAttributes', 'SetQueueAttributes',
            'SendMessage', 'SendMessageBatch', 'ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility',
            'DeleteMessageBatch', 'ChangeMessageVisibilityBatch', 'PurgeQueue', 'StartMessageMoveTask',
            'ListMessageMoveTasks', 'CancelMessageMoveTask'],
    'cloudtrail': ['DescribeTrails', 'GetEventSelectors', 'GetTrailStatus'],
    'sts': ['AssumeRole', 'GetCallerIdentity'],
    # dynalite validates DynamoDB itself: only the errors, for the product's classification table.
    'dynamodb': ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan'],
}
ERRORS_ONLY = {'dynamodb'}

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SDK_PACKAGE = {'connect': 'client-connect', 'identitystore': 'client-identitystore', 'sso-admin': 'client-sso-admin',
               'sqs': 'client-sqs', 'cloudtrail': 'client-cloudtrail', 'sts': 'client-sts',
               'dynamodb': 'client-dynamodb'}
ERROR_SCHEMA = re.compile(r'export var (\w+)\$ = \[-3, n0, _\w+,\s*\{([^}]*)\}')
HTTP_ERROR = re.compile(r'\[_hE\]: (\d+)')
QUERY_ERROR = re.compile(r'\[_aQE\]: \[`([^`]+)`, (\d+)\]')


def sdk_error_traits(service):
    """name -> (HTTP status, query-compatible code or None), from the SDK's error schemas."""
    path = os.path.join(ROOT, 'node_modules', '@aws-sdk', SDK_PACKAGE[service], 'dist-es', 'schemas', 'schemas_0.js')
    with open(path, encoding='utf-8') as f:
        text = f.read()
    traits = {}
    server = re.search(r'const (_\w+) = "server";', text)
    for name, body in ERROR_SCHEMA.findall(text):
        status = HTTP_ERROR.search(body)
        query = QUERY_ERROR.search(body)
        # Without an httpError trait the protocol's default applies: 500 for a server fault, else 400.
        default = 500 if server and f'[_e]: {server.group(1)}' in body else 400
        traits[name] = (int(status.group(1)) if status else default, query.group(1) if query else None)
    return traits


SHAPE_KEYS = ['type', 'required', 'min', 'max', 'pattern', 'enum', 'union', 'document']
MEMBER_KEYS = ['location', 'locationName']


def load(service):
    root = os.path.join(os.path.dirname(botocore.__file__), 'data', service)
    version = sorted(os.listdir(root))[-1]
    path = os.path.join(root, version, 'service-2.json')
    if os.path.exists(path + '.gz'):
        with gzip.open(path + '.gz', 'rt', encoding='utf-8') as f:
            return json.load(f)
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def trim(model, service):
    shapes = model['shapes']
    kept = {}

    def walk(name):
        if name in kept:
            return
        shape = shapes[name]
        out = {k: shape[k] for k in SHAPE_KEYS if k in shape}
        kept[name] = out
        if shape['type'] == 'structure':
            out['members'] = {}
            for member, ref in shape.get('members', {}).items():
                out['members'][member] = {'shape': ref['shape'], **{k: ref[k] for k in MEMBER_KEYS if k in ref}}
                walk(ref['shape'])
        elif shape['type'] == 'list':
            out['member'] = shape['member']['shape']
            walk(shape['member']['shape'])
        elif shape['type'] == 'map':
            out['key'] = shape['key']['shape']
            out['value'] = shape['value']['shape']
            walk(shape['key']['shape'])
            walk(shape['value']['shape'])

    operations = {}
    errors = {}
    traits = sdk_error_traits(service)
    for name in OPERATIONS[service]:
        op = model['operations'][name]
        entry = {'errors': [e['shape'] for e in op.get('errors', [])]}
        if 'http' in op and model['metadata']['protocol'] == 'rest-json':
            entry['http'] = {'method': op['http']['method'], 'requestUri': op['http']['requestUri']}
        if 'input' in op and service not in ERRORS_ONLY:
            entry['input'] = op['input']['shape']
            walk(op['input']['shape'])
        operations[name] = entry
        for error in entry['errors']:
            status, query_code = traits.get(error, (None, None))
            status = status or shapes[error].get('error', {}).get('httpStatusCode', 400)
            errors[error] = {'status': status, 'members': sorted(shapes[error].get('members', {}).keys())}
            if query_code is not None:
                errors[error]['queryCode'] = query_code
    meta = model['metadata']
    return {
        'protocol': meta['protocol'],
        'apiVersion': meta['apiVersion'],
        'targetPrefix': meta.get('targetPrefix'),
        'awsQueryCompatible': 'awsQueryCompatible' in meta,
        'operations': operations,
        'errors': errors,
        'shapes': kept,
    }


def main():
    out = {'source': f'botocore {botocore.__version__}', 'services': {s: trim(load(s), s) for s in OPERATIONS}}
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'aws-models.json')
    with open(target, 'w', encoding='utf-8') as f:
        json.dump(out, f, separators=(',', ':'), sort_keys=True)
        f.write('\n')
    print(f'wrote {target} ({os.path.getsize(target)} bytes)')


if __name__ == '__main__':
    main()
