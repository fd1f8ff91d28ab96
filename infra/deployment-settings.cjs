// Turns the stage parameters of serverless.yml into what the template needs, and refuses bad ones at package
// time. Loaded by the Serverless Framework through ${file(infra/deployment-settings.cjs):<name>}; it resolves
// the parameters itself, offline (no AWS call, no credentials).

const SECRET_NAME_PREFIX = /^[A-Za-z0-9/_+=.@!-]{1,512}$/;
const FULL_SECRET_ARN =
  /^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]+):(\d{12}):secret:([A-Za-z0-9/_+=.@!-]{1,512})-[A-Za-z0-9]{6}$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const EVENT_BUS_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[A-Za-z0-9._\-/]{1,256}$/;

/** The alias that `kmsKeyId: ""` (the AWS managed key) is checked as, see functions/commons/policy/allowlist.ts. */
const AWS_MANAGED_KEY_ALIAS = 'alias/aws/secretsmanager';

/**
 * Lambda retries an asynchronous invocation about 1 and 2 minutes after a failure, and the state machine
 * retries after 60 seconds: a crashed invocation's idempotency lock (held until its deadline) must be gone
 * by then, so the function timeout stays well under a minute.
 */
const MAX_FUNCTION_TIMEOUT_SECONDS = 45;

/**
 * The functions start no write with less than 3 s left (2 s of them kept to answer), see
 * functions/commons/pipeline/deadline.ts: a shorter timeout would leave no time for any.
 */
const MIN_FUNCTION_TIMEOUT_SECONDS = 5;

/**
 * Secrets Manager allows 50 UpdateSecret calls per second per region, shared by every caller: a function
 * counts on half of it at most.
 */
const UPDATES_PER_SECOND_PER_FUNCTION = 25;
/** What one record takes on AWS, conservatively: the lock, UpdateSecret and the completion, in sequence. */
const SECONDS_PER_RECORD = 0.25;
/** No write starts with less than this left (see START_RESERVE_MILLISECONDS in functions/commons/pipeline/deadline.ts). */
const START_RESERVE_SECONDS = 3;

/**
 * The records one invocation can start: for the timeout less the start reserve, at BATCH_CONCURRENCY records
 * at a time, and never faster than the function's share of the Secrets Manager quota. A larger batch would
 * return its last records unstarted on every receipt, until they reach the dead-letter queue untried.
 * @param {number} functionTimeout
 * @param {number} batchConcurrency
 */
function recordsOneInvocationCanStart(functionTimeout, batchConcurrency) {
  const perSecond = Math.min(UPDATES_PER_SECOND_PER_FUNCTION, batchConcurrency / SECONDS_PER_RECORD);
  return Math.floor((functionTimeout - START_RESERVE_SECONDS) * perSecond);
}

/** The levels of POWERTOOLS_LOG_LEVEL, see functions/commons/config.ts. */
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];

/**
 * @param {{
 *   resolveVariable: (address: string) => Promise<unknown>,
 *   resolveConfigurationProperty: (path: string[]) => Promise<unknown>,
 *   options: { param?: string | string[] },
 * }} context
 */
module.exports = async ({ resolveVariable, resolveConfigurationProperty, options }) => {
  await refuseUnknownParameters(options, resolveConfigurationProperty);
  /** @param {string} name */
  const parameter = async (name) => String((await resolveVariable(`param:${name}`)) ?? '').trim();
  const region = String(await resolveVariable('self:provider.region'));

  const functionTimeout = integer(
    'functionTimeout',
    await parameter('functionTimeout'),
    MIN_FUNCTION_TIMEOUT_SECONDS,
    MAX_FUNCTION_TIMEOUT_SECONDS,
  );
  const fifo = boolean('fifo', await parameter('fifo'));
  const batchConcurrency = integer('batchConcurrency', await parameter('batchConcurrency'), 1, 50);
  const batchSize = integer(
    'batchSize',
    await parameter('batchSize'),
    1,
    // On a FIFO queue the records of one message group run one at a time, whatever batchConcurrency says.
    fifo
      ? Math.min(10, recordsOneInvocationCanStart(functionTimeout, 1))
      : Math.min(10_000, recordsOneInvocationCanStart(functionTimeout, batchConcurrency)),
  );
  const maximumBatchingWindow = integer(
    'maximumBatchingWindow',
    await parameter('maximumBatchingWindow'),
    0,
    300,
  );
  if (fifo && maximumBatchingWindow !== 0) fail('maximumBatchingWindow', 'must be 0 for a FIFO queue');
  if (batchSize > 10 && maximumBatchingWindow === 0) {
    fail('maximumBatchingWindow', 'must be at least 1 when batchSize is over 10 (a Lambda rule)');
  }

  const maximumConcurrency = integer('maximumConcurrency', await parameter('maximumConcurrency'), 2, 1000);
  const maxReceiveCount = integer('maxReceiveCount', await parameter('maxReceiveCount'), 1, 1000);
  const logRetentionInDays = integer('logRetentionInDays', await parameter('logRetentionInDays'), 1, 3653);
  const idempotencyExpiresAfterSeconds = integer(
    'idempotencyExpiresAfterSeconds',
    await parameter('idempotencyExpiresAfterSeconds'),
    60,
    // At most a day, as the functions require: see MAX_IDEMPOTENCY_EXPIRES_AFTER_SECONDS in functions/commons/config.ts.
    86_400,
  );

  const secrets = secretAccess(await parameter('secrets'), region);
  const kmsKeyArn = await parameter('kmsKeyArn');
  if (kmsKeyArn !== '' && !KMS_KEY_ARN.test(kmsKeyArn))
    fail('kmsKeyArn', 'must be the ARN of a KMS key (not an alias)');
  const alarmTopicArn = await parameter('alarmTopicArn');
  if (alarmTopicArn !== '' && !SNS_TOPIC_ARN.test(alarmTopicArn))
    fail('alarmTopicArn', 'must be an SNS topic ARN');
  const eventBusArn = await parameter('eventBusArn');
  if (eventBusArn !== '' && !EVENT_BUS_ARN.test(eventBusArn)) fail('eventBusArn', 'must be an event bus ARN');

  return {
    logLevel: logLevel(await parameter('logLevel')),
    functionTimeout,
    // SQS redelivers a message only after its visibility timeout: six times the function timeout, as AWS
    // recommends, and so always after a crashed invocation's lock has expired.
    visibilityTimeout: functionTimeout * 6,
    fifo: String(fifo),
    batchSize,
    maximumBatchingWindow,
    maximumConcurrency,
    maxReceiveCount,
    batchConcurrency,
    logRetentionInDays,
    idempotencyExpiresAfterSeconds,
    allowedSecretIds: secrets.allowedSecretIds.join(','),
    allowedKmsKeyIds: [AWS_MANAGED_KEY_ALIAS, ...kmsKeyIdentifiers(kmsKeyArn)].join(','),
    updateSecretsStatements: [
      { Effect: 'Allow', Action: ['secretsmanager:UpdateSecret'], Resource: secrets.iamResources },
      ...kmsStatements(kmsKeyArn),
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        Resource: [{ 'Fn::GetAtt': ['IdempotencyTable', 'Arn'] }],
      },
    ],
    alarmActions: alarmTopicArn === '' ? [] : [alarmTopicArn],
  };
};

/**
 * A `--param` whose name serverless.yml does not define would be ignored, and the default shipped in its
 * place: a typo (`batchsize`) is refused, naming the parameter meant where one is close.
 * @param {{ param?: string | string[] }} options
 * @param {(path: string[]) => Promise<unknown>} resolveConfigurationProperty
 */
async function refuseUnknownParameters(options, resolveConfigurationProperty) {
  const params = await resolveConfigurationProperty(['params']);
  /** @type {Record<string, unknown>} */
  const stages =
    typeof params === 'object' && params !== null ? /** @type {Record<string, unknown>} */ (params) : {};
  /** @param {unknown} block */
  const namesIn = (block) => Object.keys(typeof block === 'object' && block !== null ? block : {});
  const known = namesIn(stages.default);
  const given = [
    // every stage's block, not only the one being packaged: a typo there is as wrong
    ...Object.entries(stages).flatMap(([stage, block]) => (stage === 'default' ? [] : namesIn(block))),
    // `--param name=value`; one without `=` is left to the framework, which says what it expects
    ...[options.param ?? []]
      .flat()
      .filter((entry) => entry.includes('='))
      .map((entry) => entry.slice(0, entry.indexOf('='))),
  ];
  for (const name of given) {
    if (known.includes(name)) continue;
    const meant = known.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    fail(
      name,
      meant === undefined
        ? 'is not a parameter of this service'
        : `is not a parameter: did you mean ${meant}?`,
    );
  }
}

/**
 * The `secrets` parameter: comma-separated full secret ARNs and/or name prefixes. A prefix `p` allows the
 * secrets whose names start with it: IAM `arn:...:secret:p*`, and the patterns `p*` (names) and
 * `arn:*:secretsmanager:<region>:*:secret:p*` (ARNs) for ALLOWED_SECRET_IDS. A full ARN allows that secret
 * by full ARN and partial ARN.
 */
/**
 * @param {string} list
 * @param {string} region
 */
function secretAccess(list, region) {
  const entries = list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) fail('secrets', 'must list at least one secret ARN or name prefix');
  const iamResources = [];
  const allowedSecretIds = [];
  for (const entry of entries) {
    if (entry.startsWith('arn:')) {
      const match = FULL_SECRET_ARN.exec(entry);
      if (match === null) fail('secrets', `${entry} is not a full secret ARN (ending in - and 6 characters)`);
      const [, partition, arnRegion, account, name] = match;
      iamResources.push(entry);
      // Not the bare name: it always means a secret of the function's own region and account, which for an
      // ARN of another region or account (not known offline) is another secret.
      allowedSecretIds.push(entry, `arn:${partition}:secretsmanager:${arnRegion}:${account}:secret:${name}`);
    } else {
      if (!SECRET_NAME_PREFIX.test(entry)) {
        fail(
          'secrets',
          `${entry} is neither a full secret ARN nor a name prefix (letters, digits, /_+=.@!-)`,
        );
      }
      iamResources.push({
        'Fn::Sub': `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${entry}*`,
      });
      allowedSecretIds.push(`${entry}*`, `arn:*:secretsmanager:${region}:*:secret:${entry}*`);
    }
  }
  return { iamResources, allowedSecretIds };
}

/**
 * The key as a request may name it: its ARN or its id.
 * @param {string} kmsKeyArn
 */
function kmsKeyIdentifiers(kmsKeyArn) {
  if (kmsKeyArn === '') return [];
  return [kmsKeyArn, kmsKeyArn.slice(kmsKeyArn.indexOf('key/') + 'key/'.length)];
}

/**
 * With a customer managed key: what Secrets Manager needs of it on the caller's behalf, and nothing else.
 * @param {string} kmsKeyArn
 */
function kmsStatements(kmsKeyArn) {
  if (kmsKeyArn === '') return [];
  return [
    {
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'],
      Resource: [kmsKeyArn],
      Condition: {
        StringEquals: { 'kms:ViaService': { 'Fn::Sub': 'secretsmanager.${AWS::Region}.amazonaws.com' } },
      },
    },
  ];
}

/**
 * @param {string} name
 * @param {string} text
 * @param {number} min
 * @param {number} max
 */
function integer(name, text, min, max) {
  if (!/^\d+$/.test(text)) fail(name, 'must be a whole number');
  const value = Number(text);
  if (value < min || value > max) fail(name, `must be between ${min} and ${max}`);
  return value;
}

/**
 * @param {string} name
 * @param {string} text
 */
function boolean(name, text) {
  if (text !== 'true' && text !== 'false') fail(name, 'must be true or false');
  return text === 'true';
}

/**
 * @param {string} name
 * @param {string} rule
 * @returns {never}
 */
function fail(name, rule) {
  const error = new Error(`parameter ${name} ${rule}`);
  // osls prints a failing resolver's stack; for a refused parameter the message is all a user needs.
  error.stack = error.message;
  throw error;
}

/**
 * The log level, as Powertools spells it (it reads POWERTOOLS_LOG_LEVEL case-insensitively; the functions
 * refuse to start on anything else, so packaging refuses it first).
 * @param {string} text
 */
function logLevel(text) {
  const level = text.toUpperCase();
  if (!LOG_LEVELS.includes(level)) fail('logLevel', `must be one of ${LOG_LEVELS.join(', ')}`);
  return level;
}
