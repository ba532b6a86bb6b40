export { FaultPlan, CallCounter, type Fault, type FaultKind, type FaultRule } from './faults.js';
// One line per emulator, each added by the emulator's own folder:
