export { startGateway, type RunningGateway } from './gateway.js';
export { buildServer, REDACTED_LOG_PATHS, requestForLog, type BuildOptions } from './server.js';
export { assembleServices, createServices, closeServices, loadApiKeys, type GatewayServices, type GatewaySigner, type ServiceParts } from './services.js';
export { configFrom, loadConfig, parseListen, ConfigError, type GatewayConfig, type TrustedProxyMode } from './config.js';
export { storesFromUri, memoryStores, REFERENCE_REDIS_PREFIXES, StoreConfigError, type GatewayStores, type RedisKeyLayout, type StorageBackend } from './stores.js';
export { Authenticator, type Identity } from './auth.js';
export { ApiKeyRing, createApiKey, parseApiKeysFile, ApiKeyFileError, type ApiKeyRecord } from './api-keys.js';
export { runGatewayCli } from './cli.js';
export * from './contract.js';
