// get never settles: without the per-call timeout a sync would hang forever.
const correct = require('../../../examples/cats-js/dataSourceApp.js')

module.exports = { ...correct, get (id) { return new Promise(() => {}) } }
