export { V1lmError, type V1lmErrorCode } from './errors.js'
export { backends, loadAddon, type BackendReport } from './native.js'
export { loadLgnUnits, loadSpontaneousRates, LGN_MODEL_IDS, LGN_SCREEN, isComposite, type LgnUnits, type LgnModelId } from './lgn/units.js'
export * from './engine/index.js'
