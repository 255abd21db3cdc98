// insert() speaks HTTP over a raw socket (node:net), which no routed client sees: the bridge
// refuses the connection, and the check must be an error whatever the module does with that.
const net = require('node:net')
const correct = require('../../../examples/cats-js/dataSourceApp.js')

module.exports = {
  ...correct,
  async insert (value) {
    const url = new URL('https://api.cats.test')
    return await new Promise((resolve, reject) => {
      const socket = net.connect({ host: url.hostname, port: Number(url.port) || 443 })
      socket.on('connect', () => resolve({ id: 'never' }))
      socket.on('error', () => reject(new Error('the API refused the record')))
    })
  }
}
