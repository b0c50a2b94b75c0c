import { runSubgraphProcess } from '@messngr/kit/subgraph';
import { deviceSubgraph } from './server';

runSubgraphProcess(deviceSubgraph);
