-- neovim-test.lua - the shipped Neovim setup (editors/neovim) in a real
-- Neovim, run by tests/editors-neovim.sh: the .dep file gets its
-- filetype and the server; diagnostics arrive for an error typed into
-- it and go away when it is undone; go to definition jumps to a
-- declaration, and into the standard library (a depc: buffer filled
-- from the server).  Each check writes "ok ..." or "FAIL ..." to $OUT.
local out = assert(io.open(os.getenv('OUT'), 'w'))
local function report(ok, what)
  out:write((ok and 'ok ' or 'FAIL ') .. what:gsub('\n', ' / ') .. '\n')
  out:flush()
end

local function run()
vim.opt.runtimepath:prepend(os.getenv('EDITORS') .. '/neovim')
vim.cmd('filetype plugin on')
vim.cmd('syntax on')
require('depc').setup({ cmd = { os.getenv('DEPC'), 'lsp' } })
vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('DEP')))
local buf = vim.api.nvim_get_current_buf()
report(vim.bo.filetype == 'dep', 'filetype is ' .. vim.bo.filetype)
report(vim.wait(10000, function() return #vim.lsp.buf_get_clients(buf) > 0 end, 20),
  'the buffer is attached to depc lsp')

report(vim.b.current_syntax == 'dep', 'syntax is ' .. tostring(vim.b.current_syntax))

-- The line `  uses     = [db, cache]`, found rather than numbered.
local uses
for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
  if line:match('^%s*uses%s*=') then uses = i break end
end
local original = vim.api.nvim_buf_get_lines(buf, uses - 1, uses, false)[1]

-- wait until the server has analysed the text, then type a mistake
vim.wait(2000, function() return false end, 50)
vim.api.nvim_buf_set_lines(buf, uses - 1, uses, false, { (original:gsub('%[db', '[dbb')) })
local arrived = vim.wait(10000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
local d = vim.diagnostic.get(buf)[1]
report(arrived and d.lnum == uses - 1 and d.message:match("unknown service 'dbb'") ~= nil,
  'diagnostic for the typo: ' .. (d and (d.lnum + 1 .. ': ' .. d.message) or 'none'))
vim.api.nvim_buf_set_lines(buf, uses - 1, uses, false, { original })
report(vim.wait(10000, function() return #vim.diagnostic.get(buf) == 0 end, 20),
  'the diagnostic is gone once the typo is undone')

-- completion after `uses = [`: the services
local col0 = original:find('%[') -- 0-based column just after '['
local replies = vim.lsp.buf_request_sync(buf, 'textDocument/completion', {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = uses - 1, character = col0 },
}, 10000) or {}
local labels = {}
for _, r in pairs(replies) do
  for _, item in ipairs((r.result or {}).items or {}) do
    table.insert(labels, item.label)
  end
end
table.sort(labels)
report(vim.tbl_contains(labels, 'db') and vim.tbl_contains(labels, 'cache') and
  vim.bo[buf].omnifunc == 'v:lua.vim.lsp.omnifunc', 'completion in uses: ' .. table.concat(labels, ' '))

-- go to definition: `db` in uses -> `service db`
local col = original:find('%[db') -- the '[' (1-based), so db starts at col (0-based)
vim.api.nvim_win_set_cursor(0, { uses, col })
vim.lsp.buf.definition()
local jumped = vim.wait(10000, function() return vim.api.nvim_win_get_cursor(0)[1] ~= uses end, 20)
local row = vim.api.nvim_win_get_cursor(0)[1]
local target = vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1]
report(jumped and target:match('^service db ') ~= nil, 'definition of db: line ' .. row .. ': ' .. target)

-- into the standard library: `postgres` of `service db = postgres(...)`
vim.api.nvim_win_set_cursor(0, { row, (target:find('postgres')) })
vim.lsp.buf.definition()
local opened = vim.wait(10000, function()
  return vim.api.nvim_buf_get_name(0):match('^depc:///std/postgres%.dep$') ~= nil
end, 20)
local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
local here = vim.api.nvim_win_get_cursor(0)[1]
report(opened and (lines[here] or ''):match('^template service postgres') ~= nil,
  'definition of postgres: ' .. vim.api.nvim_buf_get_name(0) .. ':' .. here .. ': ' .. (lines[here] or ''))
end

local ok, err = pcall(run)
if not ok then
  report(false, 'error: ' .. tostring(err))
end
out:close()
vim.cmd('qall!')
