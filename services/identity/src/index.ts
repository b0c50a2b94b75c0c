import { runSubgraphProcess } from '@messngr/kit/subgraph';
import { identitySubgraph } from './server';

runSubgraphProcess(identitySubgraph);
