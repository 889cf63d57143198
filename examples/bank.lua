-- A small bank simulation: classes and inheritance with metatables,
-- operator metamethods, errors as values, and a deterministic random walk.
local Account = {}
Account.__index = Account
Account.__tostring = function(a)
  return string.format("%-8s %10.2f", a.owner, a.balance)
end
Account.__lt = function(a, b) return a.balance < b.balance end

function Account.new(owner, balance)
  return setmetatable({owner = owner, balance = balance or 0, log = {}}, Account)
end

function Account:deposit(amount)
  if amount <= 0 then error("deposit must be positive", 2) end
  self.balance = self.balance + amount
  self.log[#self.log + 1] = amount
end

function Account:withdraw(amount)
  if amount > self:limit() then
    error({code = "FUNDS", owner = self.owner, wanted = amount})
  end
  self.balance = self.balance - amount
  self.log[#self.log + 1] = -amount
end

function Account:limit() return self.balance end

-- A credit account may go below zero, down to its credit line.
local Credit = setmetatable({}, {__index = Account})
Credit.__index = Credit
Credit.__tostring = Account.__tostring
Credit.__lt = Account.__lt

function Credit.new(owner, balance, line)
  local a = Account.new(owner, balance)
  a.line = line
  return setmetatable(a, Credit)
end

function Credit:limit() return self.balance + self.line end

local accounts = {
  Account.new("alice", 120), Account.new("bob", 40),
  Credit.new("carol", 10, 100), Account.new("dave", 0),
}

math.randomseed(2024)
local refused = 0
for day = 1, 30 do
  for _, acct in ipairs(accounts) do
    local amount = math.random(1, 60)
    local ok, err = pcall(function()
      if math.random() < 0.5 then acct:deposit(amount) else acct:withdraw(amount) end
    end)
    if not ok then
      refused = refused + 1
      if type(err) ~= "table" then error(err) end
    end
  end
end

table.sort(accounts)
for _, acct in ipairs(accounts) do
  print(tostring(acct), #acct.log .. " operations")
end
print("refused withdrawals: " .. refused)
print(pcall(accounts[1].deposit, accounts[1], -5))
