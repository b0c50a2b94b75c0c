import { runSubgraphProcess } from '@messngr/kit/subgraph';
import { auditSubgraph } from './server';

runSubgraphProcess(auditSubgraph);
