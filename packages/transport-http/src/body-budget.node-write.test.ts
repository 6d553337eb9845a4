// body-budget.test.ts again, with the write route answered straight on node:http (createNodeListener).
import { answerWritesDirectly } from './test-support.ts';

answerWritesDirectly();
await import('./body-budget.test.ts');
