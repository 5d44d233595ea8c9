// The one list of workflow types the worker registers: export workflows only, nothing else.
export { caseWorkflow } from './case/workflow';
export { broadcastNotes } from './broadcast/workflow';
export { campaignWorkflow } from './campaign/workflow';
export { campaignStarter } from './campaign/starter';
export { policyInForce } from './policy/in-force';
