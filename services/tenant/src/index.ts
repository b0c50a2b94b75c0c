import { runSubgraphProcess } from '@messngr/kit/subgraph';
import { tenantSubgraph } from './server';

runSubgraphProcess(tenantSubgraph);
