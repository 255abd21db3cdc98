// insert leaves out the notes field: the record created is not the record given.
const correct = require('../../../examples/cats-js/dataSourceApp.js')

module.exports = {
  ...correct,
  async insert (value) {
    const { notes, ...rest } = value
    return correct.insert.call(this, rest)
  }
}
