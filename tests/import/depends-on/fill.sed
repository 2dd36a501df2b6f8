/^service queue {/a\
  port = 5672
/^service migrate {/a\
  port = 8081
