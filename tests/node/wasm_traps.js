// Out-of-bounds WebAssembly loads: V8 on x86-64 Linux turns each into a
// SIGSEGV that its trap handler fixes up into a RuntimeError.
// Usage: node wasm_traps.js COUNT; prints how many traps were caught.
'use strict';
// (module (memory 1) (func (export "load") (param i32) (result i32)
//   (i32.load (local.get 0))))
const bytes = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 127, 1, 127, 3, 2, 1, 0, 5, 3,
  1, 0, 1, 7, 8, 1, 4, 108, 111, 97, 100, 0, 0, 10, 9, 1, 7, 0, 32, 0, 40, 2,
  0, 11]);
const load = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.load;
const count = Number(process.argv[2] || 1000);
let caught = 0;
for (let i = 0; i < count; i++) {
  try {
    load(0x7fffffff);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) caught++;
  }
}
console.log(`caught ${caught} WebAssembly traps, in-bounds load ${load(0)}`);
