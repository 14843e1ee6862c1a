// Failure messages and stack traces travel as an encoded payload, so the payload codec encrypts them like everything
// else: an error that quotes a brief cannot leak it into the server's database. Plain CommonJS, because the worker
// loads it with require() in Node and the bundler puts it into the workflow sandbox.
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
