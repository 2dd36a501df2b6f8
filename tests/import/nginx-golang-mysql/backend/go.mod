module github.com/docker/awesome-compose/nginx-golang-mysql/backend

go 1.18
