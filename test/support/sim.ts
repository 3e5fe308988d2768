/** A simulated cloud in its own process (`npm run sim`), on a free loopback port: the control plane's spec helper. */
export { startSimProcess as startSim } from '../../control-plane/src/testing/processes.ts';
