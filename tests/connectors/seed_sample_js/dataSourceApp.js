// The seed's sample data source module, verbatim from the developer document, assembled from its
// six snippets. The one change: the stray `;` after the `entires` map (`});` inside the returned
// object), which does not parse, is now `})`. Kept with its defects on purpose: the harness must
// report each one by check ID (tests/checks/test_seed_sample.py).

module.exports = {
  async init(account) {
    this.httpClient.setHeader('Authorization', 'Bearer ' + account.apiToken)
  },

  async get(id) {
    return await this.httpClient.get(`/cats/${id}`)
  },

  async insert(value) {
    var cat = await this.httpClient.post(`/cats`, value);
    return {
      id: cat.id
    }
  },

  async patch(id, value) {
    await this.httpClient.patch(`/cats/${id}`, value);
  },

  async delete(id) {
    await this.httpClient.delete(`/cats/${id}`)
  },

  async getUpdates(lastSync) {
    var nextSync = new Date().toIsoString();
    var response = await this.httpClient.get(`/cats?q=lastModified ge ${lastSync}`);

    return {
      nextSync: nextSync,
      entires: response.map(v => {
        return {
          id: v.id,
          type: 'upsert',
          value: v
        }
      })
    }
  }
}
