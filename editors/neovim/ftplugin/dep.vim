" ftplugin/dep.vim - editing .dep files: comments, indentation, words.
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1
setlocal commentstring=#\ %s comments=:#,://,s1:/*,mb:*,ex:*/
setlocal expandtab shiftwidth=2 softtabstop=2
" names may hold '-': db-data is one word
setlocal iskeyword+=-
let b:undo_ftplugin = 'setlocal commentstring< comments< expandtab< shiftwidth< softtabstop< iskeyword<'
