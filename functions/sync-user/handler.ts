import { composeSyncUser } from '../../shared/composition/sync-user.js';
import { loadSyncConfig } from '../../shared/config/config.js';
import { createSyncUserHandler } from './create-handler.js';

// Cold start: configuration is validated and clients are built once; a bad configuration fails here, loudly.
export const handler = createSyncUserHandler(composeSyncUser(loadSyncConfig()));
