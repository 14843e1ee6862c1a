import { setFlagsFromString } from 'node:v8';

// Node 20's V8 (11.3) aborts the whole process ("Fatal error ... unreachable code" in
// Deoptimizer::DoComputeBuiltinContinuation) when optimized code that inlined a call into WebAssembly returning an
// object reference is deoptimized while that call runs. cedar-wasm 4.4 and later return such references, and calls
// back into JavaScript (JSON.parse of its answer) during the call; after a full GC, that JSON.parse can invalidate the
// optimized caller, so a worker died at the first policy check after an idle gap. Not inlining JS-to-Wasm calls
// avoids the broken path at no measurable cost (0.022 vs 0.025 ms per decision). It must be set before the policy
// check is first optimized, so the engine imports this module before cedar-wasm; NODE_OPTIONS refuses the flag.
setFlagsFromString('--no-turbo-inline-js-wasm-calls');

/** The V8 flag this module sets, for logs and tests. */
export const WASM_CALL_GUARD_FLAG = '--no-turbo-inline-js-wasm-calls';
