import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type PackagedService,
  packageService,
  projectRoot,
  resourcesOfType,
  type Template,
} from '../support/packaged-template.ts';

const run = promisify(execFile);
const CFN_LINT_INSTALL = 'cfn-lint not found: install it with pip install cfn-lint';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

/** Every IAM statement in the template, with where it stands. */
function iamStatements(template: Template): { where: string; statement: Statement }[] {
  const found: { where: string; statement: Statement }[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::IAM::ManagedPolicy') {
      for (const statement of resource.Properties.PolicyDocument.Statement)
        found.push({ where: id, statement });
    }
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of resource.Properties.Policies ?? []) {
        for (const statement of policy.PolicyDocument.Statement)
          found.push({ where: `${id}/${policy.PolicyName}`, statement });
      }
    }
  }
  return found;
}

const actionsOf = (statement: Statement): string[] => [statement.Action].flat();
const resourcesOf = (statement: Statement): unknown[] => [statement.Resource].flat();

/** Runs cfn-lint on a template; a missing cfn-lint is a failure with the install command, never a skip. */
async function cfnLint(templatePath: string): Promise<{ code: number; output: string }> {
  if (spawnSync('cfn-lint', ['--version'], { stdio: 'ignore' }).status !== 0)
    throw new Error(CFN_LINT_INSTALL);
  try {
    const { stdout, stderr } = await run('cfn-lint', [templatePath]);
    return { code: 0, output: stdout + stderr };
  } catch (failure) {
    const { code, stdout, stderr } = failure as { code: number; stdout: string; stderr: string };
    return { code, output: stdout + stderr };
  }
}

describe('packaged template, default parameters', () => {
  let packaged: PackagedService;
  let template: Template;
  beforeAll(async () => {
    packaged = await packageService('test');
    template = packaged.template;
  }, 180_000);

  it('passes cfn-lint with no error and no warning', async () => {
    const { code, output } = await cfnLint(packaged.templatePath);
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('runs each function on nodejs24.x, arm64, from its own ES module bundle with a source map', async () => {
    for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      expect(fn.Properties, id).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Timeout: 30,
      });
      expect(fn.Properties.Environment.Variables).toMatchObject({
        IDEMPOTENCY_TABLE_NAME: 'secret-updater-test-idempotency',
        ALLOWED_SECRET_IDS:
          'secret-updater/test/*,arn:*:secretsmanager:us-east-1:*:secret:secret-updater/test/*',
        ALLOWED_KMS_KEY_IDS: 'alias/aws/secretsmanager',
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
    for (const name of ['eventbridge', 'sqs', 'step-functions']) {
      const { stdout } = await run('unzip', ['-l', join(packaged.directory, `${name}.zip`)]);
      expect(stdout).toContain(`functions/${name}.mjs`);
      expect(stdout).toContain(`functions/${name}.mjs.map`);
      expect(stdout).not.toContain('node_modules');
    }
  });

  it('grants UpdateSecret on the configured secrets only, and the four item operations on the table only', () => {
    const policy = template.Resources.UpdateSecretsPolicy?.Properties.PolicyDocument.Statement as Statement[];
    expect(policy).toEqual([
      {
        Effect: 'Allow',
        Action: ['secretsmanager:UpdateSecret'],
        Resource: [
          {
            'Fn::Sub':
              'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:secret-updater/test/*',
          },
        ],
      },
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        Resource: [{ 'Fn::GetAtt': ['IdempotencyTable', 'Arn'] }],
      },
    ]);
  });

  it('never grants a whole service or every resource for secretsmanager, kms or dynamodb', () => {
    for (const { where, statement } of iamStatements(template)) {
      const actions = actionsOf(statement);
      expect(actions, where).not.toContain('*');
      const guarded = actions.filter((action) => /^(secretsmanager|kms|dynamodb):/.test(action));
      for (const action of guarded) expect(action, where).not.toMatch(/:\*$/);
      if (guarded.length > 0) expect(resourcesOf(statement), where).not.toContain('*');
    }
  });

  it('gives each role only what its function or state machine does', () => {
    const roles = Object.fromEntries(resourcesOfType(template, 'AWS::IAM::Role'));
    const statementsOf = (id: string) =>
      iamStatements(template)
        .filter(({ where }) => where.startsWith(`${id}/`))
        .map(({ statement }) => statement);
    for (const id of ['EventBridgeFunctionRole', 'SqsFunctionRole', 'StepFunctionsFunctionRole']) {
      expect(roles[id]?.Properties.ManagedPolicyArns).toEqual([{ Ref: 'UpdateSecretsPolicy' }]);
    }
    expect(statementsOf('SqsFunctionRole')).toContainEqual({
      Effect: 'Allow',
      Action: [
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:ChangeMessageVisibility',
      ],
      Resource: { 'Fn::GetAtt': ['WorkQueue', 'Arn'] },
    });
    expect(statementsOf('EventBridgeFunctionRole')).toContainEqual({
      Effect: 'Allow',
      Action: 'sqs:SendMessage',
      Resource: { 'Fn::GetAtt': ['EventBridgeOnFailureQueue', 'Arn'] },
    });
    const stateMachineStatements = statementsOf('UpdateSecretStateMachineRole');
    const invoke = stateMachineStatements.filter((statement) =>
      actionsOf(statement).some((a) => a.startsWith('lambda:')),
    );
    expect(invoke).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: [
          { 'Fn::GetAtt': ['StepDashfunctionsLambdaFunction', 'Arn'] },
          { 'Fn::Sub': '${StepDashfunctionsLambdaFunction.Arn}:*' },
        ],
      },
    ]);
    for (const { where, statement } of iamStatements(template)) {
      if (resourcesOf(statement).includes('*')) {
        expect(
          actionsOf(statement).every((action) => action.startsWith('logs:')),
          where,
        ).toBe(true);
      }
    }
  });

  it('reports batch item failures from SQS, with a redrive to an encrypted dead-letter queue', () => {
    const mapping = template.Resources.WorkQueueEventSourceMapping?.Properties;
    expect(mapping).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['WorkQueue', 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    const queue = template.Resources.WorkQueue?.Properties;
    expect(queue?.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': ['WorkDeadLetterQueue', 'Arn'] },
      maxReceiveCount: 5,
    });
  });

  it('makes a failed message visible again only after six function timeouts', () => {
    const timeout = template.Resources.SqsLambdaFunction?.Properties.Timeout as number;
    expect(template.Resources.WorkQueue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('encrypts every queue, and keeps dead-letter and on-failure messages for 14 days', () => {
    const queues = resourcesOfType(template, 'AWS::SQS::Queue');
    expect(queues.map(([id]) => id).sort()).toEqual([
      'EventBridgeOnFailureQueue',
      'EventBridgeTargetDeadLetterQueue',
      'WorkDeadLetterQueue',
      'WorkQueue',
    ]);
    for (const [id, queue] of queues) {
      expect(queue.Properties.SqsManagedSseEnabled, id).toBe(true);
      if (id !== 'WorkQueue') expect(queue.Properties.MessageRetentionPeriod, id).toBe(1_209_600);
    }
  });

  it('keeps idempotency records in an encrypted, on-demand table with TTL and point-in-time recovery', () => {
    expect(template.Resources.IdempotencyTable?.Properties).toMatchObject({
      TableName: 'secret-updater-test-idempotency',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('covers both EventBridge failure paths: the target dead-letter queue and the on-failure destination', () => {
    const [target] = template.Resources.SecretUpdateRule?.Properties.Targets ?? [];
    expect(target).toMatchObject({
      Arn: { 'Fn::GetAtt': ['EventbridgeLambdaFunction', 'Arn'] },
      RetryPolicy: { MaximumRetryAttempts: 24, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['EventBridgeTargetDeadLetterQueue', 'Arn'] } },
    });
    expect(template.Resources.EventBridgeInvokeConfig?.Properties).toMatchObject({
      FunctionName: { Ref: 'EventbridgeLambdaFunction' },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': ['EventBridgeOnFailureQueue', 'Arn'] } },
      },
    });
    const queuePolicy = template.Resources.EventBridgeTargetDeadLetterQueuePolicy?.Properties.PolicyDocument;
    expect(queuePolicy.Statement[0]).toMatchObject({
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['SecretUpdateRule', 'Arn'] } } },
    });
  });

  it('logs the state machine without execution data, from the ASL file with the function substituted', () => {
    const machine = template.Resources.UpdateSecretStateMachine?.Properties;
    expect(machine?.LoggingConfiguration).toMatchObject({ Level: 'ERROR', IncludeExecutionData: false });
    expect(machine?.DefinitionSubstitutions).toEqual({
      UpdateSecretFunctionArn: { 'Fn::GetAtt': ['StepDashfunctionsLambdaFunction', 'Arn'] },
    });
    expect(machine?.Definition).toEqual(
      JSON.parse(readFileSync(join(projectRoot, 'infra/state-machine.asl.json'), 'utf8')),
    );
  });

  it('retries every path after a crashed invocation has reached its deadline', () => {
    const timeouts = resourcesOfType(template, 'AWS::Lambda::Function').map(
      ([, fn]) => fn.Properties.Timeout as number,
    );
    const longest = Math.max(...timeouts);
    // Lambda retries asynchronous invocations about 1 minute after a failure.
    expect(longest).toBeLessThan(60);
    const retries =
      template.Resources.UpdateSecretStateMachine?.Properties.Definition.States.UpdateSecret.Retry;
    for (const retry of retries) expect(retry.IntervalSeconds).toBeGreaterThan(longest);
    expect(template.Resources.WorkQueue?.Properties.VisibilityTimeout).toBeGreaterThan(longest);
  });

  it('alarms on every dead-letter and on-failure queue and on the errors of every function', () => {
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    const watchedQueues = alarms
      .filter((alarm) => alarm.Namespace === 'AWS/SQS')
      .map((alarm) => alarm.Dimensions[0].Value['Fn::GetAtt'][0])
      .sort();
    expect(watchedQueues).toEqual([
      'EventBridgeOnFailureQueue',
      'EventBridgeTargetDeadLetterQueue',
      'WorkDeadLetterQueue',
    ]);
    const watchedFunctions = alarms
      .filter((alarm) => alarm.Namespace === 'AWS/Lambda' && alarm.MetricName === 'Errors')
      .map((alarm) => alarm.Dimensions[0].Value.Ref)
      .sort();
    expect(watchedFunctions).toEqual([
      'EventbridgeLambdaFunction',
      'SqsLambdaFunction',
      'StepDashfunctionsLambdaFunction',
    ]);
    for (const alarm of alarms)
      expect(alarm).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
  });

  it('sets a retention on every log group', () => {
    for (const [id, group] of resourcesOfType(template, 'AWS::Logs::LogGroup')) {
      expect(group.Properties.RetentionInDays, id).toBe(30);
    }
  });
});

describe('packaged template, every parameter set', () => {
  const kmsKeyArn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const sharedSecret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shared/signing-key-AbCdEf';
  let packaged: PackagedService;
  beforeAll(async () => {
    packaged = await packageService('prod', {
      secrets: `prod/orders/,${sharedSecret}`,
      kmsKeyArn,
      fifo: 'true',
      eventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/shared',
      alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:alarms',
      functionTimeout: '20',
    });
  }, 180_000);

  it('passes cfn-lint with no error and no warning', async () => {
    const { code, output } = await cfnLint(packaged.templatePath);
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('feeds the same secrets and key to IAM and to the allowlists', () => {
    const { template } = packaged;
    const statements = template.Resources.UpdateSecretsPolicy?.Properties.PolicyDocument
      .Statement as Statement[];
    expect(statements[0]?.Resource).toEqual([
      {
        'Fn::Sub':
          'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:prod/orders/*',
      },
      sharedSecret,
    ]);
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'],
      Resource: [kmsKeyArn],
      Condition: {
        StringEquals: { 'kms:ViaService': { 'Fn::Sub': 'secretsmanager.${AWS::Region}.amazonaws.com' } },
      },
    });
    const variables = template.Resources.SqsLambdaFunction?.Properties.Environment.Variables;
    expect(variables.ALLOWED_SECRET_IDS.split(',')).toEqual([
      'prod/orders/*',
      'arn:*:secretsmanager:us-east-1:*:secret:prod/orders/*',
      sharedSecret,
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shared/signing-key',
      // no bare name: in the function's own account and region it could be another secret
    ]);
    expect(variables.ALLOWED_KMS_KEY_IDS.split(',')).toEqual([
      'alias/aws/secretsmanager',
      kmsKeyArn,
      '1234abcd-12ab-34cd-56ef-1234567890ab',
    ]);
  });

  it('selects the FIFO queues, the existing bus, the alarm topic and the shorter timeout', () => {
    const { template } = packaged;
    expect(template.Parameters.Fifo?.Default).toBe('true');
    // Both queues become FIFO queues (a FIFO queue's dead-letter queue must be FIFO too).
    for (const queue of ['WorkQueue', 'WorkDeadLetterQueue']) {
      expect(template.Resources[queue]?.Properties.FifoQueue).toEqual({
        'Fn::If': ['IsFifo', true, { Ref: 'AWS::NoValue' }],
      });
      expect(template.Resources[queue]?.Properties.QueueName['Fn::If'][1]).toMatch(/\.fifo$/);
    }
    expect(template.Conditions.IsFifo).toEqual({ 'Fn::Equals': [{ Ref: 'Fifo' }, 'true'] });
    expect(template.Parameters.EventBusArn?.Default).toBe(
      'arn:aws:events:eu-west-1:123456789012:event-bus/shared',
    );
    for (const [, alarm] of resourcesOfType(template, 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties.AlarmActions).toEqual(['arn:aws:sns:eu-west-1:123456789012:alarms']);
    }
    expect(template.Resources.WorkQueue?.Properties.VisibilityTimeout).toBe(120);
  });
});

describe('packaging with bad parameters', () => {
  it.each([
    [{ functionTimeout: '60' }, 'parameter functionTimeout must be between 5 and 45'],
    [{ batchsize: '100' }, 'parameter batchsize is not a parameter: did you mean batchSize?'],
    [
      { functionTimeout: '10', batchSize: '300', maximumBatchingWindow: '5' },
      'parameter batchSize must be between 1 and 175',
    ],
    [
      { functionTimeout: '8', batchConcurrency: '1', batchSize: '21', maximumBatchingWindow: '5' },
      'parameter batchSize must be between 1 and 20',
    ],
    [{ secrets: ',' }, 'parameter secrets must list at least one secret ARN or name prefix'],
    [{ secrets: '*' }, 'is neither a full secret ARN nor a name prefix'],
    [{ secrets: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db' }, 'is not a full secret ARN'],
    [{ kmsKeyArn: 'alias/my-key' }, 'parameter kmsKeyArn must be the ARN of a KMS key'],
    [
      { logLevel: 'verbose' },
      'parameter logLevel must be one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT',
    ],
    [
      { fifo: 'true', maximumBatchingWindow: '5' },
      'parameter maximumBatchingWindow must be 0 for a FIFO queue',
    ],
  ])(
    'refuses %j',
    async (parameters, message) => {
      // Act
      const attempt = await packageService('bad', parameters).catch((error: unknown) => error);

      // Assess
      expect(attempt).toBeInstanceOf(Error);
      expect(
        String((attempt as { stdout?: string; stderr?: string }).stderr) +
          String((attempt as { stdout?: string }).stdout),
      ).toContain(message);
    },
    120_000,
  );
});
