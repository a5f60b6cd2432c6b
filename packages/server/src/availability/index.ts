/** 503: maintenance mode and load shedding, with Retry-After. */

export {
  type LoadShedder,
  type LoadSheddingOptions,
  loadShedding,
} from './load-shedding.js';
export {
  type MaintenanceBaseOptions,
  type MaintenanceCheck,
  type MaintenanceOptions,
  maintenance,
} from './maintenance.js';
