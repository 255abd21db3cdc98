// No delete at all: the platform cannot propagate deletions.
const { delete: _, ...correct } = require('../../../examples/cats-js/dataSourceApp.js')

module.exports = { ...correct }
