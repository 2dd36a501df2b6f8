;;; depc.el --- .dep deployment files, with the depc language server -*- lexical-binding: t -*-

;; Load it from your init file:
;;   (add-to-list 'load-path "/path/to/depc/editors/emacs")
;;   (require 'depc)
;;   (add-hook 'dep-mode-hook #'eglot-ensure)
;; eglot (built into Emacs 29) then runs `depc lsp' for every .dep buffer.

;;; Code:

(require 'eglot)

(defgroup depc nil "Editing .dep deployment files." :group 'languages)

(defcustom depc-program "depc"
  "The depc program that runs the language server."
  :type 'string)

(defconst dep-font-lock-keywords
  `((,(regexp-opt '("import" "as" "template" "unset") 'symbols) . font-lock-keyword-face)
    (,(concat "^\\s-*" (regexp-opt '("app" "service" "secret" "volume" "pipeline"
                                      "cloud" "monitor" "env") 'symbols)
              "\\(?:\\s-+\\([A-Za-z_][A-Za-z0-9_-]*\\)\\)?")
     (1 font-lock-type-face) (2 font-lock-variable-name-face nil t))
    ;; registry is also the app's field: a kind only before a name
    ("^\\s-*\\(registry\\)\\s-+\\([A-Za-z_][A-Za-z0-9_-]*\\)"
     (1 font-lock-type-face) (2 font-lock-variable-name-face))
    (,(regexp-opt '("true" "false") 'symbols) . font-lock-constant-face)
    ("\\_<-?[0-9]+\\(?:\\.[0-9]+\\)?\\(?:[A-Za-z%]+\\)?" . font-lock-constant-face)
    ("\\([A-Za-z_][A-Za-z0-9_-]*\\)\\s-*=[^=]" 1 font-lock-variable-name-face))
  "Colouring of .dep files.")

(defvar dep-mode-syntax-table
  (let ((table (make-syntax-table)))
    (modify-syntax-entry ?# "<" table)
    (modify-syntax-entry ?\n ">" table)
    (modify-syntax-entry ?/ ". 124" table)
    (modify-syntax-entry ?* ". 23b" table)
    (modify-syntax-entry ?_ "_" table)
    (modify-syntax-entry ?- "_" table)
    (modify-syntax-entry ?\" "\"" table)
    table)
  "Syntax table of `dep-mode'.")

;;;###autoload
(define-derived-mode dep-mode prog-mode "dep"
  "Major mode for .dep deployment files."
  (setq-local comment-start "# ")
  (setq-local comment-end "")
  (setq-local indent-tabs-mode nil)
  (setq-local tab-width 2)
  (setq-local font-lock-defaults '(dep-font-lock-keywords)))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.dep\\'" . dep-mode))

(add-to-list 'eglot-server-programs
             `(dep-mode . ,(lambda (&optional _interactive) (list depc-program "lsp"))))

(provide 'depc)
;;; depc.el ends here
