-- depc.lua - the depc language server in Neovim's built-in client
-- (Neovim 0.7 and later).
--
--   require('depc').setup()                      -- depc from PATH
--   require('depc').setup({ cmd = { '/opt/depc/bin/depc', 'lsp' },
--                           import_path = { '/srv/dep-modules' } })
--
-- Every .dep buffer is attached to the server when its filetype is set
-- (ftdetect/dep.vim sets it).  Definitions into the standard library open
-- depc:///std/NAME.dep buffers, and a diagnostic's explain page is
-- depc:///explain/CODE.md: their text comes from the server.
local M = {}

local options = { cmd = { 'depc', 'lsp' }, import_path = {} }

local function client_config(bufnr)
  local env = nil
  if #options.import_path > 0 then
    env = { DEPC_PATH = table.concat(options.import_path, ':') }
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  return {
    name = 'depc',
    cmd = options.cmd,
    cmd_env = env,
    root_dir = vim.fn.fnamemodify(name, ':p:h'),
  }
end

local function depc_client()
  for _, client in pairs(vim.lsp.get_active_clients()) do
    if client.name == 'depc' then
      return client
    end
  end
  return nil
end

-- Attaches the buffer to the server, starting it if need be.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if vim.api.nvim_buf_get_name(bufnr):match('^depc:') then
    return nil -- the server's own documents are not sent back to it
  end
  vim.bo[bufnr].omnifunc = 'v:lua.vim.lsp.omnifunc' -- CTRL-X CTRL-O completes
  if vim.lsp.start then
    return vim.lsp.start(client_config(bufnr), { bufnr = bufnr })
  end
  local client = depc_client() -- Neovim 0.7: one client for every buffer
  local id = client and client.id or vim.lsp.start_client(client_config(bufnr))
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

-- Fills a depc: buffer with the text the server has for it.
local function read_library(args)
  local bufnr, uri = args.buf, args.match
  local client = depc_client()
  local reply = client and client.request_sync('workspace/textDocumentContent', { uri = uri }, 5000, bufnr)
  local text = reply and reply.result and reply.result.text
  if not text then
    vim.notify('depc: cannot read ' .. uri, vim.log.levels.ERROR)
    return
  end
  vim.api.nvim_buf_set_option(bufnr, 'modifiable', true)
  local body = text:gsub('\n$', '')
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, vim.split(body, '\n', { plain = true }))
  vim.api.nvim_buf_set_option(bufnr, 'modifiable', false)
  vim.api.nvim_buf_set_option(bufnr, 'modified', false)
  vim.api.nvim_buf_set_option(bufnr, 'buftype', 'nofile')
  vim.api.nvim_buf_set_option(bufnr, 'filetype', uri:match('%.md$') and 'markdown' or 'dep')
end

function M.setup(opts)
  options = vim.tbl_extend('force', options, opts or {})
  local group = vim.api.nvim_create_augroup('depc', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'dep',
    callback = function(args) M.attach(args.buf) end,
  })
  vim.api.nvim_create_autocmd('BufReadCmd', {
    group = group,
    pattern = 'depc://*',
    callback = read_library,
  })
end

return M
