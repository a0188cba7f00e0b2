// The console's pages: each renders into a section and returns what stops it (timers).
const REFRESH_MS = 2500;

/** An element with attributes and children (strings become text: nothing from the cluster is parsed as HTML). */
function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  e.append(...children.flat().filter(c => c !== null && c !== undefined).map(c => c instanceof Node ? c : String(c)));
  return e;
}

function table(headers, rows) {
  return h('table', {}, h('thead', {}, h('tr', {}, headers.map(x => h('th', {}, x)))), h('tbody', {}, rows));
}

function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

/** A duration in milliseconds as the largest two units: 3 d 4 h, 5 h 12 min, 7 min 9 s. */
function duration(ms) {
  const s = Math.floor(ms / 1000);
  if (s >= 86400) return `${Math.floor(s / 86400)} d ${Math.floor(s / 3600) % 24} h`;
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${Math.floor(s / 60) % 60} min`;
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

function badge(state) {
  return h('span', {class: `badge ${state}`}, state);
}

function failure(e) {
  return h('p', {class: 'error'}, e.code === 'AccessDenied' ? 'Only the administrator may see this page.' : e.message);
}

/** Re-renders every REFRESH_MS while the page shows; @return the stopper. */
function refreshing(section, render) {
  let timer = null;
  let stopped = false;
  const tick = async () => {
    try {
      section.replaceChildren(...(await render()).filter(Boolean));
    } catch (e) {
      section.replaceChildren(failure(e));
    }
    if (!stopped) timer = setTimeout(tick, REFRESH_MS);
  };
  tick();
  return () => { stopped = true; clearTimeout(timer); };
}

/** The status call; ?lostAfterMs=N on the console's URL shows silent nodes LOST sooner (tests, small clusters). */
function status(api) {
  const lostAfterMs = new URLSearchParams(location.search).get('lostAfterMs');
  return api.admin('GET', '/', 'status', lostAfterMs ? {lostAfterMs} : {});
}

function overview(section, api) {
  return refreshing(section, async () => {
    const s = await status(api);
    const m = s.maintenance;
    return [
      h('h2', {}, `Masters (${s.masters.length})`),
      table(['ID', 'Address', 'Role', 'Term', 'Commit', 'Applied', 'Snapshot', 'Lag'], s.masters.map(x => h('tr', {'data-master': x.id},
          h('td', {}, x.id), h('td', {}, x.address), h('td', {}, badge(x.role)), h('td', {class: 'num'}, x.term),
          h('td', {class: 'num'}, x.commitIndex), h('td', {class: 'num'}, x.appliedIndex), h('td', {class: 'num'}, x.snapshotIndex),
          h('td', {class: 'num'}, x.lag < 0 ? '?' : x.lag), x.error ? h('td', {class: 'error'}, x.error) : null))),
      s.error ? h('p', {class: 'error'}, s.error) : null,
      m ? null : h('p', {class: 'note'}, 'No maintenance cycle yet in this leader\'s term.'),
      h('h2', {}, `Chunkservers (${s.chunkservers.length})`),
      table(['ID', 'Address', 'State', 'Used', 'Capacity', '', 'Seen', 'Labels'], s.chunkservers.map(c => h('tr', {'data-node': c.id},
          h('td', {}, c.id), h('td', {}, c.address), h('td', {}, badge(c.state)), h('td', {class: 'num'}, bytes(c.usedBytes)),
          h('td', {class: 'num'}, bytes(c.capacityBytes)),
          h('td', {}, h('meter', {min: 0, max: Math.max(1, c.capacityBytes), value: c.usedBytes, high: 0.9 * c.capacityBytes})),
          h('td', {class: 'num'}, `${(c.lastSeenMillisAgo / 1000).toFixed(1)} s`),
          h('td', {}, Object.entries(c.labels || {}).map(([k, v]) => `${k}=${v}`).join(' '))))),
      h('h2', {}, `Gateways (${s.gateways.length})`),
      table(['ID', 'Address', 'State', 'Seen', 'EC kernel'], s.gateways.map(g => h('tr', {},
          h('td', {}, g.id), h('td', {}, g.address), h('td', {}, badge(g.state)),
          h('td', {class: 'num'}, `${(g.lastSeenMillisAgo / 1000).toFixed(1)} s`), h('td', {}, g.ecKernel || '')))),
      h('h2', {}, `Mounts (${s.mounts.length})`),
      s.mounts.length ? table(['Host', 'Mount point', 'State', 'Seen', 'Up', 'Version', 'ID'], s.mounts.map(m => h('tr', {'data-mount': m.id},
          h('td', {}, m.host), h('td', {}, m.mountPoint), h('td', {}, badge(m.state)),
          h('td', {class: 'num'}, `${(m.lastSeenMillisAgo / 1000).toFixed(1)} s`), h('td', {class: 'num'}, duration(m.uptimeMillis)),
          h('td', {}, m.version), h('td', {class: 'id'}, m.id))))
        : h('p', {class: 'note'}, 'No mount is connected.'),
    ];
  });
}

/** Each peer zone's changes not applied here yet and the age of the oldest (as `mooseng admin sync status`). */
function multisite(section, api) {
  return refreshing(section, async () => {
    const m = await api.admin('GET', '/', 'multisite');
    if (!m.zone) return [h('h2', {}, 'Multisite'), h('p', {class: 'note', id: 'no-zonegroup'}, 'This cluster belongs to no zonegroup.')];
    return [
      h('h2', {}, `Zone ${m.zone} of zonegroup ${m.zonegroup}: lag behind each peer zone`),
      m.peers.length ? table(['Peer zone', 'State', 'Pending changes', 'Oldest pending', 'Parked', 'Error'], m.peers.map(p => h('tr', {'data-zone': p.zone},
          h('td', {}, p.zone), h('td', {}, badge(p.state)), h('td', {class: 'num'}, p.pending < 0 ? '?' : p.pending),
          h('td', {class: 'num'}, p.lagSeconds < 0 ? '?' : `${p.lagSeconds.toFixed(1)} s`), h('td', {class: 'num'}, p.parked.length),
          h('td', {class: 'error'}, p.error || ''))))
        : h('p', {class: 'note'}, 'The zonegroup has no other zone.'),
    ];
  });
}

function card(label, value) {
  return h('div', {class: 'card'}, h('b', {}, value), label);
}

function maintenance(section, api) {
  return refreshing(section, async () => {
    const m = (await status(api)).maintenance;
    if (!m) return [h('h2', {}, 'Maintenance'), h('p', {class: 'note'}, 'No maintenance cycle yet in this leader\'s term.')];
    return [
      h('h2', {}, `Maintenance (leader ${m.reporter}, ${((Date.now() - m.atMillis) / 1000).toFixed(0)} s ago)`),
      h('div', {class: 'cards'}, card('blocks', m.blocks), card('under-replicated', m.underReplicated), card('endangered', m.endangered),
          card('lost', m.lost)),
      h('h2', {}, 'Repair'),
      h('div', {class: 'cards'}, card('shards repaired', m.repairedShards), card('repaired', bytes(m.repairedBytes)),
          card('last cycle', `${m.repairMiBPerSecond.toFixed(1)} MiB/s`), card('lost chunkservers', m.lostChunkservers || 'none')),
      h('h2', {}, 'Storage classes and rebalancing'),
      h('div', {class: 'cards'}, card('objects awaiting re-coding', m.recodePending), card('objects re-coded', m.recodedObjects),
          card('shards moved', m.movedShards), card('orphan shards deleted', m.orphanShardsDeleted), card('trash purged', m.trashPurged)),
      h('h2', {}, 'Bucket lifecycle'),
      h('div', {class: 'cards'}, card('last pass', m.lifecyclePassMillis ? `${((Date.now() - m.lifecyclePassMillis) / 1000).toFixed(0)} s ago` : 'none yet'),
          card('expired', m.lifecycleExpired), card('transitioned', m.lifecycleTransitioned), card('uploads aborted', m.lifecycleAborted)),
    ];
  });
}

async function bucketPicker(api, selected, onChange) {
  const names = await api.listBuckets();
  const select = h('select', {name: 'bucket', onchange: e => onChange(e.target.value)},
      h('option', {value: ''}, '(choose a bucket)'), names.map(n => h('option', {value: n, selected: n === selected}, n)));
  return select;
}

function buckets(section, api, arg) {
  const render = async bucket => {
    const children = [h('h2', {}, 'Storage classes'), h('div', {class: 'toolbar'}, 'Bucket ',
        await bucketPicker(api, bucket, b => { location.hash = `buckets/${encodeURIComponent(b)}`; }))];
    if (bucket) {
      try {
        const c = await api.admin('GET', `/${bucket}`, 'classes');
        children.push(table(['Directory', 'Class'], [h('tr', {}, h('td', {}, '(bucket default)'), h('td', {}, c.default)),
          ...Object.entries(c.directories).map(([dir, cls]) => h('tr', {}, h('td', {}, dir), h('td', {}, cls)))]));
        const message = h('span', {});
        const form = h('form', {class: 'toolbar', onsubmit: async e => {
          e.preventDefault();
          const f = new FormData(form);
          try {
            await api.admin('PUT', `/${bucket}`, 'class', {class: f.get('class'), prefix: f.get('prefix')});
            render(bucket);
          } catch (err) {
            message.replaceChildren(failure(err));
          }
        }}, 'Set class of directory ', h('input', {name: 'prefix', placeholder: '(empty: bucket default) e.g. logs/'}),
            ' to ', h('input', {name: 'class', placeholder: 'EC_8_4 or REPLICATED_3', required: true}), h('button', {}, 'Set'), message);
        children.push(form, h('p', {class: 'note'}, 'Existing objects are re-coded in the background (see Maintenance).'));
      } catch (e) {
        children.push(failure(e));
      }
    }
    section.replaceChildren(...children);
  };
  render(arg).catch(e => section.replaceChildren(failure(e)));
  return null;
}

function trash(section, api, arg) {
  const render = async bucket => {
    const children = [h('h2', {}, 'Trash'), h('div', {class: 'toolbar'}, 'Bucket ',
        await bucketPicker(api, bucket, b => { location.hash = `trash/${encodeURIComponent(b)}`; }))];
    if (bucket) {
      try {
        const entries = await api.admin('GET', `/${bucket}`, 'trash');
        children.push(entries.length === 0 ? h('p', {class: 'note'}, 'The trash of this bucket is empty.')
            : table(['Key', 'Size', 'Deleted', ''], entries.map(e => h('tr', {'data-key': e.key},
                h('td', {}, e.key), h('td', {class: 'num'}, bytes(e.size)), h('td', {}, new Date(e.deletedMillis).toLocaleString()),
                h('td', {}, h('button', {class: 'link', onclick: async () => {
                  try {
                    await api.admin('POST', `/${bucket}`, 'restore', {inode: String(e.inode)});
                    render(bucket);
                  } catch (err) {
                    section.append(failure(err));
                  }
                }}, 'Restore'))))));
      } catch (e) {
        children.push(failure(e));
      }
    }
    section.replaceChildren(...children);
  };
  render(arg).catch(e => section.replaceChildren(failure(e)));
  return null;
}

function browser(section, api, arg) {
  const slash = arg.indexOf('/');
  const bucket = slash < 0 ? arg : arg.slice(0, slash);
  const prefix = slash < 0 ? '' : arg.slice(slash + 1);
  const go = (b, p) => { location.hash = `browser/${encodeURIComponent(b + (p ? '/' + p : ''))}`; };
  const render = async () => {
    const children = [h('h2', {}, 'Objects'), h('div', {class: 'toolbar'}, 'Bucket ', await bucketPicker(api, bucket, b => go(b, '')))];
    if (!bucket) {
      section.replaceChildren(...children);
      return;
    }
    const crumbs = [h('button', {class: 'link', onclick: () => go(bucket, '')}, bucket)];
    let at = '';
    for (const part of prefix.split('/').filter(Boolean)) {
      at += part + '/';
      const target = at;
      crumbs.push(' / ', h('button', {class: 'link', onclick: () => go(bucket, target)}, part));
    }
    children.push(h('div', {class: 'toolbar'}, crumbs));
    const progress = h('progress', {max: 1, value: 0, hidden: true});
    const message = h('span', {id: 'upload-status'});
    const input = h('input', {type: 'file', id: 'upload', onchange: async () => {
      const file = input.files[0];
      if (!file) return;
      progress.hidden = false;
      message.textContent = `Uploading ${file.name}…`;
      try {
        await api.upload(bucket, prefix + file.name, file, (done, total) => { progress.value = done / total; });
        message.textContent = `Uploaded ${file.name}`;
        render();
      } catch (e) {
        message.replaceChildren(failure(e));
      }
    }});
    children.push(h('div', {class: 'toolbar'}, 'Upload here: ', input, progress, message));
    const level = await api.listLevel(bucket, prefix);
    children.push(table(['Name', 'Size', 'Modified', ''], [
      ...level.folders.map(f => h('tr', {}, h('td', {}, h('button', {class: 'link', onclick: () => go(bucket, f)}, f.slice(prefix.length))),
          h('td', {}), h('td', {}), h('td', {}))),
      ...level.objects.map(o => h('tr', {'data-key': o.key}, h('td', {}, o.key.slice(prefix.length)), h('td', {class: 'num'}, bytes(o.size)),
          h('td', {}, new Date(o.modified).toLocaleString()),
          h('td', {},
              h('button', {class: 'link download', onclick: async () => {
                const a = h('a', {href: await api.downloadUrl(bucket, o.key), download: o.key.slice(o.key.lastIndexOf('/') + 1)});
                document.body.append(a);
                a.click();
                a.remove();
              }}, 'Download'),
              h('button', {class: 'link delete', onclick: async () => {
                if (!confirm(`Delete ${o.key}?`)) return;
                await api.deleteObject(bucket, o.key).then(render, e => section.append(failure(e)));
              }}, 'Delete')))),
    ]));
    section.replaceChildren(...children);
  };
  render().catch(e => section.replaceChildren(failure(e)));
  return null;
}

export const PAGES = {overview, maintenance, multisite, buckets, trash, browser};
