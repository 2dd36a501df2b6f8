" .dep files are deployments for depc
autocmd BufRead,BufNewFile *.dep setfiletype dep
