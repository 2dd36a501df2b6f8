" syntax/dep.vim - colouring for .dep files (Neovim 0.9 and later also
" colour with the semantic tokens of the language server).
if exists('b:current_syntax')
  finish
endif
syntax keyword depKeyword import as template unset
syntax keyword depKind app service secret volume pipeline cloud monitor env
" registry is also app's field: a kind only before a name
syntax match depKind /\v^\s*\zsregistry\ze\s+\h/
syntax keyword depBoolean true false
syntax match depNumber /\v-?<\d+(\.\d+)?(ms|s|m|h|d|B|KiB|Ki|KB|K|MiB|Mi|MB|M|GiB|Gi|GB|G|TiB|Ti|TB|T|\%)?>/
syntax match depNumber /\v-?<\d+(\.\d+)?\%/
syntax match depOperator /\.\.\|=/
syntax match depProperty /\v<[A-Za-z_][A-Za-z0-9_-]*>\ze\s*\=[^=]/
syntax region depInterpolation matchgroup=depDelimiter start=/\${/ end=/}/ contained
syntax match depEscape /\\\([ntr\\"$]\|u{\x\{1,6}}\)/ contained
syntax region depString start=/"/ skip=/\\"/ end=/"\|$/ contains=depEscape,depInterpolation
syntax region depString start=/"""/ end=/"""/ contains=depEscape,depInterpolation
syntax match depComment /#.*$/ contains=@Spell
syntax match depComment /\/\/.*$/ contains=@Spell
syntax region depComment start=/\/\*/ end=/\*\// contains=@Spell
highlight default link depKeyword Keyword
highlight default link depKind Structure
highlight default link depBoolean Boolean
highlight default link depNumber Number
highlight default link depOperator Operator
highlight default link depProperty Identifier
highlight default link depString String
highlight default link depEscape SpecialChar
highlight default link depDelimiter Delimiter
highlight default link depComment Comment
let b:current_syntax = 'dep'
