// delete resolves and does nothing: deleted records live on.
const correct = require('../../../examples/cats-js/dataSourceApp.js')

module.exports = { ...correct, async delete (id) {} }
