// Failure messages and stack traces travel as an encoded payload, so the payload codec encrypts them like everything
// else: an error that quotes a brief cannot leak it into the server's database. Plain CommonJS, because the worker
// loads it with require() in Node and the bundler puts it into the workflow sandbox.
//
// One kind stays readable: a gate's refusal of a decision. It is written for the person who sent it (roster ids,
// hashes and the rule that refused, never brief or model text), and the Temporal UI shows an encoded failure only as
// "Encoded failure", so the approver would not learn why.
const { ApplicationFailure, DefaultFailureConverter } = require('@temporalio/common');

const encoding = new DefaultFailureConverter({ encodeCommonAttributes: true });
const clear = new DefaultFailureConverter({ encodeCommonAttributes: false });
const READABLE = new Set(['DecisionRefused']);

exports.failureConverter = {
  errorToFailure(err, payloadConverter) {
    const readable = err instanceof ApplicationFailure && READABLE.has(err.type);
    return (readable ? clear : encoding).errorToFailure(err, payloadConverter);
  },
  failureToError(failure, payloadConverter) {
    return encoding.failureToError(failure, payloadConverter);
  },
};
