import { createRequire } from 'node:module';

// The V8 abort behind the crashed workers, forced on purpose: cedar-wasm's own glue function is optimized with its
// call into WebAssembly inlined, then deoptimized while that call runs (from the toJSON callback Cedar makes into
// JavaScript). Node 20's V8 cannot rebuild the call's object result and aborts with "unreachable code". Run with
// `node --allow-natives-syntax --import tsx`; `guarded` loads the policy engine first, which sets the V8 flag that
// keeps such calls from being inlined.
const guarded = process.argv[2] === 'guarded';
if (guarded) await import('../../policies/engine');
const cedar = createRequire(import.meta.url)(
  '@cedar-policy/cedar-wasm/nodejs',
) as typeof import('@cedar-policy/cedar-wasm/nodejs');

// V8 intrinsics, reachable only through code parsed at run time with --allow-natives-syntax.
const native = (body: string) => new Function('f', body) as (f: unknown) => number;
const prepareForOptimization = native('%PrepareFunctionForOptimization(f)');
const optimizeOnNextCall = native('%OptimizeFunctionOnNextCall(f)');
const deoptimize = native('%DeoptimizeFunction(f)');

const glue = cedar.statefulIsAuthorized;
const parsed = cedar.preparsePolicySet('churn', {
  staticPolicies: { p: 'permit (principal, action, resource);' },
});
if (parsed.type !== 'success') throw new Error('policy did not parse');
let armed = false;
const context = {
  toJSON() {
    if (armed) {
      armed = false;
      deoptimize(glue);
    }
    return {};
  },
};
const call = (id: string) =>
  glue({
    principal: { type: 'Agent', id: 'researcher' },
    action: { type: 'Action', id: 'kb.search' },
    resource: { type: 'Campaign', id },
    context: context as unknown as Record<string, never>,
    preparsedPolicySetId: 'churn',
    entities: [],
  });
prepareForOptimization(glue);
for (let i = 0; i < 50; i++) call(`warm-${i}`);
optimizeOnNextCall(glue);
call('optimize');
armed = true;
const answer = call('deoptimized-during-the-call');
process.stdout.write(`survived: ${answer.type === 'success' ? answer.response.decision : 'failure'}\n`);
